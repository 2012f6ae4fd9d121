package io.grouprefunds.provider.rapyd;

import java.time.Duration;
import java.util.Set;

import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.provider.HttpFailures;
import io.grouprefunds.domain.SubmitOutcome;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every Rapyd answer, or the lack of one, classified by what to do about it. The one place where that is decided
 * for Rapyd (docs.rapyd.net error-messages, refund-errors, request-rate-limits).
 *
 * <ul>
 * <li>no connection made (refused, connect timeout, unknown host): not processed, try again now;</li>
 * <li>429 (WAF or Rapyd): not processed, try again after Retry-After or a backoff;</li>
 * <li>400/401 authentication errors: not processed, our configuration is wrong, stop the job;</li>
 * <li>{@code ERROR_CREATE_PARTIAL_REFUND_NOT_READY}: not processed, retry later (Rapyd says after 24 hours);</li>
 * <li>any other ERROR: declined, final, with its code;</li>
 * <li>5xx, timeouts after sending, connection lost, unreadable 2xx: unknown outcome, reconcile.</li>
 * </ul>
 */
final class RapydOutcomes {

	private static final Set<String> CONFIGURATION_ERRORS = Set.of("UNAUTHENTICATED_API_CALL",
			"UNAUTHORIZED_API_CALL", "MISSING_AUTHENTICATION_HEADERS");

	private static final String NOT_READY = "ERROR_CREATE_PARTIAL_REFUND_NOT_READY";

	private final JsonMapper json;

	RapydOutcomes(JsonMapper json) {
		this.json = json;
	}

	/** Classifies an HTTP answer. {@code retryAfter} is the header's raw value or null. */
	SubmitOutcome fromResponse(int httpStatus, String retryAfter, String body) {
		if (httpStatus == 429) {
			return SubmitOutcome.retryNow(429, parseRetryAfter(retryAfter), "HTTP_429", "rate limited");
		}
		JsonNode status = parse(body).path("status");
		String state = status.path("status").asString("");
		String code = blankToNull(status.path("error_code").asString(""));
		String message = blankToNull(status.path("message").asString(""));
		String operationId = blankToNull(status.path("operation_id").asString(""));
		if (code != null && CONFIGURATION_ERRORS.contains(code)) {
			return SubmitOutcome.stopJob(httpStatus, operationId, code,
					"Rapyd refused our credentials (" + code + "): check refunds.rapyd.access-key, "
							+ "refunds.rapyd.secret-key and refunds.rapyd.base-url");
		}
		if (httpStatus >= 500) {
			return SubmitOutcome.unknown(httpStatus, operationId, code == null ? "HTTP_" + httpStatus : code,
					message == null ? "provider error: the refund may or may not have been applied" : message);
		}
		if ("SUCCESS".equals(state) && httpStatus >= 200 && httpStatus < 300) {
			return success(httpStatus, operationId, parse(body).path("data"));
		}
		if ("ERROR".equals(state)) {
			if (NOT_READY.equals(code)) {
				return SubmitOutcome.of(RowStatus.RETRYABLE, httpStatus, operationId, null, code, message);
			}
			return SubmitOutcome.of(RowStatus.DECLINED, httpStatus, operationId, null, code, message);
		}
		if (httpStatus == 401 || httpStatus == 403 || httpStatus == 404 || httpStatus == 405) {
			// Not a Rapyd answer: a gateway in front of it, or a base URL that points elsewhere.
			return SubmitOutcome.stopJob(httpStatus, null, "HTTP_" + httpStatus,
					"HTTP " + httpStatus + " without a Rapyd answer: check refunds.rapyd.base-url and the keys");
		}
		if (httpStatus >= 400) {
			// A 4xx that is not Rapyd's JSON was stopped before Rapyd processed it.
			return SubmitOutcome.of(RowStatus.RETRYABLE, httpStatus, null, null, "HTTP_" + httpStatus,
					"rejected before processing");
		}
		return SubmitOutcome.unknown(httpStatus, operationId, "UNREADABLE_RESPONSE",
				"HTTP " + httpStatus + " with a body that is not a Rapyd answer");
	}

	/** Classifies a request that got no HTTP answer. */
	SubmitOutcome fromTransportError(Throwable error) {
		return HttpFailures.noAnswer(error);
	}

	private SubmitOutcome success(int httpStatus, String operationId, JsonNode data) {
		// Rapyd's group refund answer is the group payment; a refund that will complete later shows as Pending.
		String refundStatus = "Completed";
		for (JsonNode payment : data.path("payments")) {
			JsonNode refunds = payment.path("refunds");
			if (refunds.isArray() && !refunds.isEmpty()) {
				String last = refunds.get(refunds.size() - 1).path("status").asString("");
				if ("Pending".equalsIgnoreCase(last)) {
					refundStatus = "Pending";
				}
			}
		}
		RowStatus status = "Pending".equals(refundStatus) ? RowStatus.PENDING : RowStatus.SUCCEEDED;
		return SubmitOutcome.of(status, httpStatus, operationId, refundStatus, null, null);
	}

	private JsonNode parse(String body) {
		try {
			return json.readTree(body == null || body.isBlank() ? "{}" : body);
		}
		catch (JacksonException ex) {
			return json.missingNode();
		}
	}

	static Duration parseRetryAfter(String value) {
		return HttpFailures.retryAfter(value);
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

}
