package io.grouprefunds.throttle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.grouprefunds.domain.ConfigurationException;

import org.springframework.boot.convert.DurationStyle;

/**
 * What one provider account allows, and how close to it we go: the throttle of that account is built from these.
 *
 * @param ratePerSecond the rate the provider allows, per second; 0 or less switches the throttle off, quotas included
 * (sandbox and tests only)
 * @param headroom the fraction of {@code ratePerSecond} left unused (and of each quota's window added), so that
 * jitter between our clock and the provider's (a late timer here, a GC pause there) cannot push one of its windows
 * over the limit
 * @param maxInFlight requests outstanding at once on the account
 * @param quotas hard caps per sliding window on top of the rate (Rapyd: 200 a minute and 1000 in five minutes)
 */
public record ThrottleLimits(double ratePerSecond, double headroom, int maxInFlight, List<Quota> quotas) {

	public ThrottleLimits {
		if (!(headroom >= 0 && headroom < 0.5)) {
			throw new ConfigurationException("throttle headroom must be in [0, 0.5): " + headroom);
		}
		if (maxInFlight < 1) {
			throw new ConfigurationException("throttle max-in-flight must be at least 1: " + maxInFlight);
		}
		quotas = List.copyOf(quotas);
	}

	/** A plain smooth rate: no headroom, no quota; {@code maxInFlight} 1. */
	public static ThrottleLimits rate(double ratePerSecond) {
		return new ThrottleLimits(ratePerSecond, 0, 1, List.of());
	}

	/** Whether the throttle paces at all; off, it neither spaces requests nor applies quotas. */
	public boolean throttled() {
		return ratePerSecond > 0;
	}

	/** The rate the throttle actually paces at: {@code ratePerSecond} less the headroom. */
	public double pacedRate() {
		return ratePerSecond * (1 - headroom);
	}

	/** One sentence for the log and the docs' examples, e.g. {@code 3.3/s (paced at 3.23/s), ≤ 200/PT1M, 16 in flight}. */
	public String describe() {
		if (!throttled()) {
			return "unthrottled, " + maxInFlight + " in flight";
		}
		StringBuilder text = new StringBuilder(String.format("%.4g/s (paced at %.4g/s)", ratePerSecond, pacedRate()));
		quotas.forEach(quota -> text.append(", at most ").append(quota));
		return text.append(", ").append(maxInFlight).append(" in flight").toString();
	}

	/** Parses {@code 200/1m,1000/5m}; blank entries are ignored, so an empty setting means no quota. */
	public static List<Quota> parseQuotas(List<String> texts) {
		List<Quota> quotas = new ArrayList<>();
		for (String text : texts) {
			if (text != null && !text.isBlank()) {
				quotas.add(Quota.parse(text.strip()));
			}
		}
		return quotas;
	}

	/**
	 * At most {@code limit} requests in any window of length {@code period}.
	 *
	 * @param limit requests
	 * @param period the window, e.g. one minute
	 */
	public record Quota(int limit, Duration period) {

		public Quota {
			if (limit < 1 || period.isNegative() || period.isZero()) {
				throw new ConfigurationException(
						"a throttle quota needs a limit of at least 1 and a positive period: " + limit + "/" + period);
			}
		}

		/** {@code 1000/5m}: a count, a slash, and a duration as Spring writes them ({@code 300s}, {@code 5m}). */
		public static Quota parse(String text) {
			int slash = text.indexOf('/');
			if (slash < 1) {
				throw new ConfigurationException("a throttle quota is written COUNT/PERIOD, e.g. 1000/5m: '"
						+ text + "'");
			}
			try {
				return new Quota(Integer.parseInt(text.substring(0, slash).strip()),
						DurationStyle.detectAndParse(text.substring(slash + 1).strip()));
			}
			catch (IllegalArgumentException ex) {
				throw new ConfigurationException("a throttle quota is written COUNT/PERIOD, e.g. 1000/5m: '"
						+ text + "' (" + ex.getMessage() + ")");
			}
		}

		/** As it is written in the settings: {@code 1000/5m}. */
		@Override
		public String toString() {
			long millis = period.toMillis();
			String written = millis % 3_600_000 == 0 ? millis / 3_600_000 + "h"
					: millis % 60_000 == 0 ? millis / 60_000 + "m"
							: millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
			return limit + "/" + written;
		}

	}

}
