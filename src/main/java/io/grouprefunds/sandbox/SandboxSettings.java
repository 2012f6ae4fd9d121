package io.grouprefunds.sandbox;

import java.time.Clock;
import java.util.Objects;

import io.grouprefunds.sandbox.faults.SandboxFaults;

/**
 * How to start a {@link SandboxServer}. Secret keys are left out of {@link #toString()} so settings can be logged.
 *
 * @param port TCP port on 127.0.0.1; 0 for a free one
 * @param threads size of the request thread pool, large enough that injected latency does not serialize requests
 * @param faults the faults every simulated provider starts with
 * @param issuer how the simulated card issuer checks requests
 * @param lifecycle how every simulated provider's refund parts start and settle
 * @param clock the time refund parts are created and settle by (signatures keep the real time); a test may pass
 * one it moves
 */
public record SandboxSettings(int port, int threads, String rapydAccessKey, String rapydSecretKey,
		SandboxFaults faults, IssuerSandboxSettings issuer, RefundLifecycle lifecycle, Clock clock) {

	public SandboxSettings {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
		}
		if (threads < 1) {
			throw new IllegalArgumentException("threads must be at least 1: " + threads);
		}
		Objects.requireNonNull(rapydAccessKey, "rapydAccessKey");
		Objects.requireNonNull(rapydSecretKey, "rapydSecretKey");
		Objects.requireNonNull(faults, "faults");
		Objects.requireNonNull(issuer, "issuer");
		Objects.requireNonNull(lifecycle, "lifecycle");
		Objects.requireNonNull(clock, "clock");
	}

	/** Port 0, 64 threads, the sandbox's well-known keys, no faults, every refund Completed at once. */
	public static SandboxSettings defaults() {
		return new SandboxSettings(0, 64, "rak_SANDBOX_ACCESS_KEY", "rsk_SANDBOX_SECRET_KEY", SandboxFaults.none(),
				IssuerSandboxSettings.defaults(), RefundLifecycle.immediate(), Clock.systemUTC());
	}

	public SandboxSettings withPort(int port) {
		return new SandboxSettings(port, threads, rapydAccessKey, rapydSecretKey, faults, issuer, lifecycle, clock);
	}

	public SandboxSettings withThreads(int threads) {
		return new SandboxSettings(port, threads, rapydAccessKey, rapydSecretKey, faults, issuer, lifecycle, clock);
	}

	public SandboxSettings withRapydKeys(String accessKey, String secretKey) {
		return new SandboxSettings(port, threads, accessKey, secretKey, faults, issuer, lifecycle, clock);
	}

	public SandboxSettings withFaults(SandboxFaults faults) {
		return new SandboxSettings(port, threads, rapydAccessKey, rapydSecretKey, faults, issuer, lifecycle, clock);
	}

	public SandboxSettings withIssuer(IssuerSandboxSettings issuer) {
		return new SandboxSettings(port, threads, rapydAccessKey, rapydSecretKey, faults, issuer, lifecycle, clock);
	}

	public SandboxSettings withLifecycle(RefundLifecycle lifecycle) {
		return new SandboxSettings(port, threads, rapydAccessKey, rapydSecretKey, faults, issuer, lifecycle, clock);
	}

	public SandboxSettings withClock(Clock clock) {
		return new SandboxSettings(port, threads, rapydAccessKey, rapydSecretKey, faults, issuer, lifecycle, clock);
	}

	@Override
	public String toString() {
		return "SandboxSettings[port=" + port + ", threads=" + threads + ", rapydAccessKey=" + rapydAccessKey
				+ ", rapydSecretKey=***, faults=" + faults + ", issuer=" + issuer + ", lifecycle=" + lifecycle + "]";
	}

}
