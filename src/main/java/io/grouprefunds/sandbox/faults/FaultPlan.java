package io.grouprefunds.sandbox.faults;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Draws the faults of each request from one {@link SandboxFaults}; its outage windows count from its creation. What
 * a drawn fault does on the wire is the shared handler's business ({@code sandbox.ProviderHandler}).
 */
public final class FaultPlan {

	private static final long ONE_SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final SandboxFaults faults;

	private final Random random;

	private final long startNanos;

	/** Arrival times of the requests admitted in the last second, oldest first; guarded by itself. */
	private final Deque<Long> admitted = new ArrayDeque<>();

	/** @param startNanos when the outage windows start, {@link System#nanoTime} */
	public FaultPlan(SandboxFaults faults, long startNanos) {
		this.faults = faults;
		this.random = (faults.seed() != null) ? new Random(faults.seed()) : new Random();
		this.startNanos = startNanos;
	}

	public SandboxFaults faults() {
		return faults;
	}

	/** The faults of a request that creates a refund: every kind may happen. */
	public FaultDecision decideRefund(long nowNanos) {
		long latencyMs;
		double before;
		double after;
		int errorStatus;
		// Every decision draws the same numbers in one block, so a seed gives the same sequence whatever is drawn.
		synchronized (random) {
			latencyMs = drawLatency();
			before = random.nextDouble();
			after = random.nextDouble();
			errorStatus = random.nextBoolean() ? 500 : 502;
		}
		FaultKind beforeApply = null;
		if (inOutage(nowNanos)) {
			beforeApply = FaultKind.OUTAGE;
		}
		else if (!admit(nowNanos)) {
			beforeApply = FaultKind.RATE_LIMITED;
		}
		else if (before < faults.tooManyRequests()) {
			beforeApply = FaultKind.TOO_MANY_REQUESTS;
		}
		else if (before < faults.tooManyRequests() + faults.errorBeforeApply()) {
			beforeApply = FaultKind.ERROR_BEFORE_APPLY;
		}
		FaultKind afterApply = null;
		if (after < faults.errorAfterApply()) {
			afterApply = FaultKind.ERROR_AFTER_APPLY;
		}
		else if (after < faults.errorAfterApply() + faults.slowAfterApply()) {
			afterApply = FaultKind.SLOW_AFTER_APPLY;
		}
		else if (after < faults.errorAfterApply() + faults.slowAfterApply() + faults.dropAfterApply()) {
			afterApply = FaultKind.DROP_AFTER_APPLY;
		}
		return new FaultDecision(faults, latencyMs, beforeApply, afterApply, errorStatus);
	}

	/** Queries only meet latency and outages: the refund faults model what happens around applying one. */
	public FaultDecision decideQuery(long nowNanos) {
		long latencyMs;
		synchronized (random) {
			latencyMs = drawLatency();
		}
		return new FaultDecision(faults, latencyMs, inOutage(nowNanos) ? FaultKind.OUTAGE : null, null, 0);
	}

	private long drawLatency() {
		if (faults.latencyP99Ms() > 0) {
			// Log-normal around the median; the 99th percentile of a standard normal is 2.3263.
			double sigma = Math.log((double) faults.latencyP99Ms() / Math.max(1, faults.latencyMs())) / 2.3263;
			double drawn = faults.latencyMs() * Math.exp(sigma * random.nextGaussian());
			return Math.min(Math.round(drawn), 10 * faults.latencyP99Ms());
		}
		return faults.latencyMs() + ((faults.jitterMs() > 0) ? random.nextLong(faults.jitterMs() + 1) : 0);
	}

	private boolean inOutage(long nowNanos) {
		if (faults.outage()) {
			return true;
		}
		long elapsedMs = TimeUnit.NANOSECONDS.toMillis(nowNanos - startNanos);
		return faults.outageWindows().stream().anyMatch((window) -> window.contains(elapsedMs));
	}

	private boolean admit(long nowNanos) {
		if (faults.rateLimitPerSecond() == 0) {
			return true;
		}
		synchronized (admitted) {
			while (!admitted.isEmpty() && nowNanos - admitted.peekFirst() >= ONE_SECOND_NANOS) {
				admitted.removeFirst();
			}
			if (admitted.size() >= faults.rateLimitPerSecond()) {
				return false;
			}
			admitted.addLast(nowNanos);
			return true;
		}
	}

}
