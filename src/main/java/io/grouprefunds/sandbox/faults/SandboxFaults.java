package io.grouprefunds.sandbox.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * The faults the sandbox injects, switchable at runtime with {@code SimulatedProvider.setFaults}.
 *
 * <p>Probabilities are per POST refund request, in [0, 1]. The faults before applying (a random 429, a 500) are one
 * draw, so their probabilities must not add up to more than 1; the same holds for the faults after applying (a 500 or
 * 502, a slow response, a dropped connection). GET queries only get latency and outages. With a {@code seed}, the
 * sequence of decisions is reproducible.
 *
 * @param latencyMs delay before every answer; with {@code latencyP99Ms}, the median of a log-normal delay
 * @param jitterMs extra uniform delay in [0, jitterMs] on top of {@code latencyMs}
 * @param latencyP99Ms 0 for a fixed delay (plus jitter); else the 99th percentile of a log-normal delay whose median
 * is {@code latencyMs}: the long tail of a real provider
 * @param errorBeforeApply probability of an HTTP 500 with nothing applied
 * @param errorAfterApply probability of an HTTP 500 or 502 after the refund was applied
 * @param slowAfterApply probability of answering {@code slowAfterApplyMs} late after the refund was applied
 * @param slowAfterApplyMs how late a slow answer is
 * @param dropAfterApply probability of closing the connection with no answer after the refund was applied
 * @param tooManyRequests probability of an HTTP 429 with nothing applied
 * @param rateLimitPerSecond requests admitted per sliding second, beyond which the answer is 429; 0 for no limit
 * @param retryAfterSeconds the {@code Retry-After} header of a 429; {@code null} to send none, as a WAF may
 * @param htmlTooManyRequests whether a 429 carries an HTML page like a WAF's instead of Rapyd's JSON
 * @param outage whether every request is answered 503 with nothing applied
 * @param outageWindows periods, counted from when these faults took effect, answered like {@code outage}
 * @param seed seed of the fault decisions; {@code null} for a random one
 */
public record SandboxFaults(long latencyMs, long jitterMs, long latencyP99Ms, double errorBeforeApply,
		double errorAfterApply,
		double slowAfterApply, long slowAfterApplyMs, double dropAfterApply, double tooManyRequests,
		int rateLimitPerSecond, Integer retryAfterSeconds, boolean htmlTooManyRequests, boolean outage,
		List<OutageWindow> outageWindows, Long seed) {

	public SandboxFaults {
		requireNotNegative(latencyMs, "latencyMs");
		requireNotNegative(jitterMs, "jitterMs");
		requireNotNegative(latencyP99Ms, "latencyP99Ms");
		if (latencyP99Ms > 0 && latencyP99Ms < latencyMs) {
			throw new IllegalArgumentException("latencyP99Ms must not be below the median latencyMs: " + latencyP99Ms);
		}
		requireNotNegative(slowAfterApplyMs, "slowAfterApplyMs");
		requireNotNegative(rateLimitPerSecond, "rateLimitPerSecond");
		if (retryAfterSeconds != null) {
			requireNotNegative(retryAfterSeconds, "retryAfterSeconds");
		}
		requireProbabilities("faults before applying", tooManyRequests, errorBeforeApply);
		requireProbabilities("faults after applying", errorAfterApply, slowAfterApply, dropAfterApply);
		outageWindows = List.copyOf(outageWindows);
	}

	/** No faults at all: the sandbox answers like a healthy provider. */
	public static SandboxFaults none() {
		return builder().build();
	}

	public static Builder builder() {
		return new Builder();
	}

	public Builder toBuilder() {
		return new Builder(this);
	}

	public SandboxFaults withOutage(boolean outage) {
		return toBuilder().outage(outage).build();
	}

	private static void requireNotNegative(long value, String name) {
		if (value < 0) {
			throw new IllegalArgumentException(name + " must not be negative: " + value);
		}
	}

	private static void requireProbabilities(String group, double... probabilities) {
		double sum = 0;
		for (double p : probabilities) {
			if (!(p >= 0 && p <= 1)) {
				throw new IllegalArgumentException("probability must be in [0, 1]: " + p);
			}
			sum += p;
		}
		if (sum > 1) {
			throw new IllegalArgumentException("probabilities of the " + group + " add up to more than 1: " + sum);
		}
	}

	/** A period {@code [fromMs, toMs)} after the faults took effect. */
	public record OutageWindow(long fromMs, long toMs) {

		public OutageWindow {
			if (fromMs < 0 || toMs <= fromMs) {
				throw new IllegalArgumentException(
						"outage window must be 0 <= from < to: [" + fromMs + ", " + toMs + ")");
			}
		}

		boolean contains(long elapsedMs) {
			return elapsedMs >= fromMs && elapsedMs < toMs;
		}

	}

	/** Builds {@link SandboxFaults}; everything is off unless set. */
	public static final class Builder {

		private long latencyMs;

		private long jitterMs;

		private long latencyP99Ms;

		private double errorBeforeApply;

		private double errorAfterApply;

		private double slowAfterApply;

		private long slowAfterApplyMs;

		private double dropAfterApply;

		private double tooManyRequests;

		private int rateLimitPerSecond;

		private Integer retryAfterSeconds = 1;

		private boolean htmlTooManyRequests;

		private boolean outage;

		private final List<OutageWindow> outageWindows = new ArrayList<>();

		private Long seed;

		private Builder() {
		}

		private Builder(SandboxFaults faults) {
			latencyMs = faults.latencyMs;
			jitterMs = faults.jitterMs;
			latencyP99Ms = faults.latencyP99Ms;
			errorBeforeApply = faults.errorBeforeApply;
			errorAfterApply = faults.errorAfterApply;
			slowAfterApply = faults.slowAfterApply;
			slowAfterApplyMs = faults.slowAfterApplyMs;
			dropAfterApply = faults.dropAfterApply;
			tooManyRequests = faults.tooManyRequests;
			rateLimitPerSecond = faults.rateLimitPerSecond;
			retryAfterSeconds = faults.retryAfterSeconds;
			htmlTooManyRequests = faults.htmlTooManyRequests;
			outage = faults.outage;
			outageWindows.addAll(faults.outageWindows);
			seed = faults.seed;
		}

		public Builder latency(long latencyMs, long jitterMs) {
			this.latencyMs = latencyMs;
			this.jitterMs = jitterMs;
			this.latencyP99Ms = 0;
			return this;
		}

		/** A log-normal delay: half the answers faster than {@code medianMs}, one in a hundred slower than p99. */
		public Builder latencyLogNormal(long medianMs, long p99Ms) {
			this.latencyMs = medianMs;
			this.jitterMs = 0;
			this.latencyP99Ms = p99Ms;
			return this;
		}

		public Builder errorBeforeApply(double probability) {
			this.errorBeforeApply = probability;
			return this;
		}

		public Builder errorAfterApply(double probability) {
			this.errorAfterApply = probability;
			return this;
		}

		public Builder slowAfterApply(double probability, long delayMs) {
			this.slowAfterApply = probability;
			this.slowAfterApplyMs = delayMs;
			return this;
		}

		public Builder dropAfterApply(double probability) {
			this.dropAfterApply = probability;
			return this;
		}

		public Builder tooManyRequests(double probability) {
			this.tooManyRequests = probability;
			return this;
		}

		public Builder rateLimitPerSecond(int requests) {
			this.rateLimitPerSecond = requests;
			return this;
		}

		/** @param seconds the {@code Retry-After} value, or {@code null} to send no header */
		public Builder retryAfterSeconds(Integer seconds) {
			this.retryAfterSeconds = seconds;
			return this;
		}

		public Builder htmlTooManyRequests(boolean html) {
			this.htmlTooManyRequests = html;
			return this;
		}

		public Builder outage(boolean outage) {
			this.outage = outage;
			return this;
		}

		public Builder outageWindow(long fromMs, long toMs) {
			this.outageWindows.add(new OutageWindow(fromMs, toMs));
			return this;
		}

		public Builder seed(long seed) {
			this.seed = seed;
			return this;
		}

		public SandboxFaults build() {
			return new SandboxFaults(latencyMs, jitterMs, latencyP99Ms, errorBeforeApply, errorAfterApply,
					slowAfterApply,
					slowAfterApplyMs, dropAfterApply, tooManyRequests, rateLimitPerSecond, retryAfterSeconds,
					htmlTooManyRequests, outage, outageWindows, seed);
		}

	}

}
