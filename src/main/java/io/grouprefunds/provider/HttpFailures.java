package io.grouprefunds.provider;

import io.grouprefunds.domain.SubmitOutcome;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;

import io.netty.channel.ConnectTimeoutException;
import org.apache.commons.lang3.exception.ExceptionUtils;

import org.springframework.core.NestedExceptionUtils;

/**
 * What every HTTP adapter concludes alike, whatever the provider: a request that got no HTTP answer, and a
 * {@code Retry-After} header. Each adapter's outcome class calls these, so the rule is written once.
 */
public final class HttpFailures {

	private HttpFailures() {
	}

	/**
	 * A request with no HTTP answer: when no connection was made it cannot have been processed (retry now);
	 * otherwise it was sent and may have been applied (unknown outcome, reconcile).
	 */
	public static SubmitOutcome noAnswer(Throwable error) {
		for (Throwable cause : ExceptionUtils.getThrowableList(error)) {
			if (cause instanceof ConnectException || cause instanceof ConnectTimeoutException
					|| cause instanceof UnknownHostException || cause instanceof NoRouteToHostException) {
				return SubmitOutcome.retryNow(null, null, "CONNECT_FAILED", cause.getClass().getSimpleName());
			}
		}
		Throwable root = NestedExceptionUtils.getMostSpecificCause(error);
		return SubmitOutcome.unknown(null, null, "NO_RESPONSE",
				"sent, no answer (" + root.getClass().getSimpleName() + "): the refund may have been applied");
	}

	/** A {@code Retry-After} in seconds; null when absent or an HTTP date (rare from a WAF; the backoff takes over). */
	public static Duration retryAfter(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
