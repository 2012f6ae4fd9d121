package io.grouprefunds.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import ch.qos.logback.classic.Level;
import io.grouprefunds.sandbox.RefundLifecycle;
import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;
import io.grouprefunds.sandbox.faults.SandboxFaults;
import org.slf4j.LoggerFactory;
import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sandbox}: the provider simulator as a server of its own, until interrupted. No database needed. The options
 * shape it like a real provider under load (latency, its own rate limit, outages), give it every fault the README
 * lists (5xx before or after applying, late and lost answers, dropped connections), and a refund lifecycle (Pending
 * parts settling later, some Rejected, some in Error), for demos, trials and the benchmark.
 */
@Command(name = "sandbox", description = "Serve the provider sandbox on 127.0.0.1 until stopped (Ctrl-C).")
class SandboxCommand implements Callable<Integer> {

	@Option(names = "--port", defaultValue = "8089", description = "Port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
	int port;

	@Option(names = "--groups", paramLabel = "PROVIDER=GROUPS_CSV", split = ",",
			defaultValue = "rapyd=sample-data/sandbox-rapyd-groups.csv,issuer=sample-data/sandbox-issuer-groups.csv",
			description = "Groups each simulated provider starts with (default ${DEFAULT-VALUE}).")
	Map<String, Path> groups;

	@Option(names = "--generate-groups", paramLabel = "N", defaultValue = "0",
			description = "Also create N closed USD group payments gp_00…01 to gp_<N in hex> of 100.00 each.")
	int generatedGroups;

	@Option(names = "--threads", defaultValue = "64", description = "Request threads (default ${DEFAULT-VALUE}).")
	int threads;

	@Option(names = "--latency-ms", defaultValue = "0",
			description = "Delay before each answer, ms; with --latency-p99-ms, the median (default ${DEFAULT-VALUE}).")
	long latencyMs;

	@Option(names = "--jitter-ms", defaultValue = "0", description = "Extra uniform delay in [0, N] ms.")
	long jitterMs;

	@Option(names = "--latency-p99-ms", defaultValue = "0",
			description = "Make the delay log-normal with this 99th percentile, ms.")
	long latencyP99Ms;

	@Option(names = "--rate-limit", defaultValue = "0",
			description = "Refund requests admitted per sliding second; beyond, HTTP 429 (default: no limit).")
	int rateLimit;

	@Option(names = "--retry-after", defaultValue = "1",
			description = "Retry-After seconds on a 429, or 'none' to send no header (default ${DEFAULT-VALUE}).")
	String retryAfter;

	@Option(names = "--html-429", description = "Answer 429 with an HTML page, like a WAF, not Rapyd's JSON.")
	boolean html429;

	@Option(names = "--too-many-requests", paramLabel = "P", defaultValue = "0",
			description = "Probability of a random 429 per refund request, nothing applied.")
	double tooManyRequests;

	@Option(names = "--error-before-apply", paramLabel = "P", defaultValue = "0",
			description = "Probability of an HTTP 500 per refund request, nothing applied.")
	double errorBeforeApply;

	@Option(names = "--error-after-apply", paramLabel = "P", defaultValue = "0",
			description = "Probability of an HTTP 500 or 502 per refund request although the refund was applied.")
	double errorAfterApply;

	@Option(names = "--slow-after-apply", paramLabel = "P", defaultValue = "0",
			description = "Probability of answering an applied refund --slow-after-apply-ms late (past the job's "
					+ "timeout: a lost answer).")
	double slowAfterApply;

	@Option(names = "--slow-after-apply-ms", paramLabel = "MS", defaultValue = "35000",
			description = "How late a slow answer is, ms (default ${DEFAULT-VALUE}: past the job's 30 s timeout).")
	long slowAfterApplyMs;

	@Option(names = "--drop-after-apply", paramLabel = "P", defaultValue = "0",
			description = "Probability of closing the connection with no answer after applying the refund.")
	double dropAfterApply;

	@Option(names = "--outage", description = "Answer 503 to everything, applying nothing, until stopped.")
	boolean outage;

	@Option(names = "--outage-window", paramLabel = "FROM_MS-TO_MS",
			description = "Answer 503 to everything between these times after start, ms (repeatable).")
	List<String> outageWindows = new ArrayList<>();

	@Option(names = "--pending-rate", paramLabel = "P", defaultValue = "0",
			description = "Fraction of accepted refunds whose parts start Pending (issuer: status 0) and settle later "
					+ "(default ${DEFAULT-VALUE}: all Completed at once).")
	double pendingRate;

	@Option(names = "--settle-after", paramLabel = "DURATION", defaultValue = "20s",
			description = "A Pending part settles by itself this long after it was created, e.g. 20s, 500ms; 0 = only "
					+ "by POST /sandbox/refunds/{id}/complete|reject or /sandbox/refunds/settle-all "
					+ "(default ${DEFAULT-VALUE}).")
	String settleAfter;

	@Option(names = "--reject-rate", paramLabel = "R", defaultValue = "0",
			description = "Fraction of Pending parts that settle Rejected (issuer: 2), giving the money back "
					+ "(default ${DEFAULT-VALUE}).")
	double rejectRate;

	@Option(names = "--error-rate", paramLabel = "E", defaultValue = "0",
			description = "Fraction of accepted refunds answered as accepted with every part in Error (issuer: 2): "
					+ "no money moves (default ${DEFAULT-VALUE}).")
	double errorRate;

	@Option(names = "--seed", paramLabel = "N",
			description = "Seed of the fault and lifecycle draws, for a reproducible run (default: random).")
	Long seed;

	@Option(names = "--log-level", defaultValue = "INFO",
			description = "Sandbox log level: DEBUG shows every request, WARN nothing per refund (default ${DEFAULT-VALUE}).")
	String logLevel;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() throws InterruptedException {
		// No Spring here, so no logback-spring.xml: set the level that keeps a load test's log small.
		Level level = Level.toLevel(logLevel, Level.INFO);
		((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(level);
		SandboxSettings settings = settings();
		CountDownLatch stopped = new CountDownLatch(1);
		try (SandboxServer server = SandboxServer.start(settings)) {
			groups.forEach((provider, csv) -> server.provider(provider).loadGroups(csv));
			if (generatedGroups > 0) {
				server.rapyd().addGeneratedGroupPayments(generatedGroups);
			}
			Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
			for (String provider : server.providerNames()) {
				spec.commandLine().getOut().printf("%s sandbox on %s (keys: the sandbox defaults, see "
						+ "docs/providers-in-this-job.md).%n", provider,
						server.clientSettings(provider).get("refunds." + provider + ".base-url"));
			}
			spec.commandLine().getOut().println("Ctrl-C stops it.");
			spec.commandLine().getOut().flush();
			stopped.await();
		}
		return 0;
	}

	/** The sandbox these options describe. */
	SandboxSettings settings() {
		return SandboxSettings.defaults()
			.withPort(port)
			.withThreads(threads)
			.withFaults(faults())
			.withLifecycle(lifecycle());
	}

	private RefundLifecycle lifecycle() {
		Duration delay;
		try {
			delay = DurationStyle.detectAndParse(settleAfter.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new ParameterException(spec.commandLine(), "--settle-after is a duration like 20s or 500ms: "
					+ settleAfter);
		}
		try {
			return new RefundLifecycle(pendingRate, delay, rejectRate, errorRate, seed);
		}
		catch (IllegalArgumentException ex) {
			throw new ParameterException(spec.commandLine(), ex.getMessage());
		}
	}

	private SandboxFaults faults() {
		try {
			SandboxFaults.Builder faults = SandboxFaults.builder()
				.rateLimitPerSecond(rateLimit)
				.retryAfterSeconds("none".equalsIgnoreCase(retryAfter) ? null : Integer.valueOf(retryAfter))
				.htmlTooManyRequests(html429)
				.tooManyRequests(tooManyRequests)
				.errorBeforeApply(errorBeforeApply)
				.errorAfterApply(errorAfterApply)
				.slowAfterApply(slowAfterApply, slowAfterApplyMs)
				.dropAfterApply(dropAfterApply)
				.outage(outage);
			if (latencyP99Ms > 0) {
				faults.latencyLogNormal(latencyMs, latencyP99Ms);
			}
			else {
				faults.latency(latencyMs, jitterMs);
			}
			for (String window : outageWindows) {
				String[] bounds = window.split("-");
				if (bounds.length != 2) {
					throw new IllegalArgumentException("--outage-window is FROM_MS-TO_MS: " + window);
				}
				faults.outageWindow(Long.parseLong(bounds[0].strip()), Long.parseLong(bounds[1].strip()));
			}
			if (seed != null) {
				faults.seed(seed);
			}
			return faults.build();
		}
		catch (IllegalArgumentException ex) {
			// Out-of-range values and probabilities that add up to more than 1, said as a usage error.
			throw new ParameterException(spec.commandLine(), "sandbox faults: " + ex.getMessage());
		}
	}

}
