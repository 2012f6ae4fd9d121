package io.grouprefunds.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the sandbox saw of a run, for tests and the benchmark: how fast requests arrived and refunds were applied, and
 * the most requests that arrived within any window of the given length (what a provider's rate limit counts).
 *
 * @param arrivalsPerSecond refund requests over the time from the first arrival to the last
 * @param maxArrivalsInWindow the most refund requests that arrived within any {@code window}
 * @param appliedPerSecond refunds applied over the time from the first applied to the last
 */
public record SandboxStats(int requests, int applied, int tooManyRequests, double arrivalsPerSecond,
		Duration window, int maxArrivalsInWindow, double appliedPerSecond, Instant firstApplied,
		Instant lastApplied) {

	static SandboxStats of(long[] arrivalNanos, List<AppliedRefund> applied, int tooManyRequests, Duration window) {
		double arrivalRate = arrivalNanos.length < 2 ? 0
				: (arrivalNanos.length - 1) * 1e9 / Math.max(1, arrivalNanos[arrivalNanos.length - 1] - arrivalNanos[0]);
		Instant first = applied.isEmpty() ? null : applied.get(0).appliedAt();
		Instant last = applied.isEmpty() ? null : applied.get(applied.size() - 1).appliedAt();
		double appliedRate = applied.size() < 2 ? 0
				: (applied.size() - 1) * 1e9 / Math.max(1, Duration.between(first, last).toNanos());
		return new SandboxStats(arrivalNanos.length, applied.size(), tooManyRequests, arrivalRate, window,
				maxInWindow(arrivalNanos, window.toNanos()), appliedRate, first, last);
	}

	/** The most of the sorted times that fall within any half-open window {@code [t, t + length)}. */
	static int maxInWindow(long[] sortedNanos, long lengthNanos) {
		int most = 0;
		int first = 0;
		for (int last = 0; last < sortedNanos.length; last++) {
			while (sortedNanos[last] - sortedNanos[first] >= lengthNanos) {
				first++;
			}
			most = Math.max(most, last - first + 1);
		}
		return most;
	}

}
