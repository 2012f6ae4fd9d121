package io.grouprefunds.submit;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import io.grouprefunds.throttle.ThrottleLimits;

/**
 * The line printed when the submit step knows how many rows it will send: how long that takes at the account's
 * rate, and what the stop time leaves, e.g. {@code 12,000 rows at 3.3/s: about 1 h 01 min; stops at 06:00 with
 * about 4,100 left}.
 *
 * <p>The rate is what the throttle paces at: the strictest of {@code rate-per-second} and each quota window
 * ({@code 1000/5m} = 3.33/s), less the headroom the throttle keeps under each. It is a long-run rate: a file smaller
 * than a quota's count goes at the pacing rate, so the estimate is then on the long side; a provider slower than the
 * throttle (latency × {@code max-in-flight}) or another process sending on the same account makes it short.
 */
final class SendEstimate {

	private SendEstimate() {
	}

	/** Rows per second the throttle lets through in the long run; 0 when it is off. */
	static double rowsPerSecond(ThrottleLimits limits) {
		if (!limits.throttled()) {
			return 0;
		}
		double rate = limits.pacedRate();
		for (ThrottleLimits.Quota quota : limits.quotas()) {
			// The throttle counts each window as (1 + headroom) times as long (see Throttle).
			double seconds = quota.period().toNanos() / 1e9 * (1 + limits.headroom());
			rate = Math.min(rate, quota.limit() / seconds);
		}
		return rate;
	}

	/** The line for {@code rows} rows starting {@code now}, with the stop time if there is one (else null). */
	static String describe(long rows, ThrottleLimits limits, Instant now, StopTime stop) {
		return describe(rows, rowsPerSecond(limits),
				stop == null ? null : Duration.between(now, stop.deadline().toInstant()), stop);
	}

	/**
	 * @param rate rows per second, 0 when unthrottled
	 * @param untilStop the time left before the stop, null without a stop time
	 */
	static String describe(long rows, double rate, Duration untilStop, StopTime stop) {
		StringBuilder line = new StringBuilder(count(rows)).append(rows == 1 ? " row" : " rows");
		if (rate <= 0) {
			line.append(", unthrottled: no estimate of the time");
			if (stop != null) {
				line.append(untilStop.isNegative() || untilStop.isZero()
						? "; the stop time " + stop + " is reached: nothing more is sent"
						: "; stops at " + stop + " at the latest");
			}
			return line.toString();
		}
		double seconds = rows / rate;
		line.append(" at ").append(rate(rate)).append("/s: ").append(duration(seconds));
		if (stop == null) {
			return line.toString();
		}
		double secondsLeft = untilStop.toMillis() / 1000.0;
		if (secondsLeft <= 0) {
			return line.append("; the stop time ").append(stop).append(" is reached: nothing more is sent").toString();
		}
		if (seconds <= secondsLeft) {
			return line.append("; done before the stop time ").append(stop).toString();
		}
		long left = rows - Math.round(rate * secondsLeft);
		return line.append("; stops at ").append(stop).append(" with about ").append(count(roughly(left)))
			.append(" left")
			.toString();
	}

	/** {@code about 1 h 01 min}, {@code about 12 min}, {@code under a minute}, {@code about 2 d 03 h}. */
	static String duration(double seconds) {
		if (seconds < 60) {
			return "under a minute";
		}
		long minutes = Math.round(seconds / 60);
		if (minutes < 60) {
			return "about " + minutes + " min";
		}
		if (minutes < 24 * 60) {
			return String.format(Locale.ROOT, "about %d h %02d min", minutes / 60, minutes % 60);
		}
		long hours = Math.round(seconds / 3600);
		return String.format(Locale.ROOT, "about %d d %02d h", hours / 24, hours % 24);
	}

	/** Two significant digits, for a count that is only an estimate: 4,137 → 4,100; 96 → 96; 7 → 7. */
	static long roughly(long count) {
		if (count < 100) {
			return Math.max(count, 0);
		}
		return new BigDecimal(count).round(new MathContext(2, RoundingMode.HALF_UP)).longValueExact();
	}

	/** A rate with at most three significant digits and no trailing zeros: 3.3, 3.33, 3.23, 200, 0.5. */
	static String rate(double rate) {
		return new BigDecimal(rate).round(new MathContext(3, RoundingMode.HALF_UP)).stripTrailingZeros()
			.toPlainString();
	}

	private static String count(long count) {
		return String.format(Locale.ROOT, "%,d", count);
	}

}
