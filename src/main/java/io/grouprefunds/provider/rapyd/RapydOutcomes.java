package io.grouprefunds.provider.rapyd;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.grouprefunds.domain.Money;
import io.grouprefunds.domain.RefundPart;
import io.grouprefunds.domain.Settlement;
import io.grouprefunds.provider.RefundInstruction;

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
 * <li>5xx, timeouts after sending, connection lost, unreadable 2xx: unknown outcome, reconcile;</li>
 * <li>SUCCESS: accepted. The answer is the group payment, whose {@code payments[].refunds[]} list every refund
 * object of its payments, earlier ones too; the ones not seen in an earlier answer about the group are offered to the
 * ledger as this request's parts, and the row's status is the part-status rule's reading of its own parts
 * ({@link Settlement}): Completed, Pending, or Rejected/Error/Cancelled, in {@code data.currency}. An answer that
 * lists no refund objects ({@code "refunds": null} in Rapyd's sample) is PENDING: reconcile finds the parts.</li>
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

	/** Classifies an HTTP answer, every refund object of a SUCCESS answer offered as this request's. */
	SubmitOutcome fromResponse(int httpStatus, String retryAfter, String body) {
		return fromResponse(httpStatus, retryAfter, body, null, Set.of());
	}

	/**
	 * Classifies an HTTP answer. {@code retryAfter} is the header's raw value or null.
	 * @param instruction the refund sent, for the provisional reading of its parts; null when not known
	 * @param seenBefore ids of refund objects already shown about this group before this request's answer: not its own
	 */
	SubmitOutcome fromResponse(int httpStatus, String retryAfter, String body, RefundInstruction instruction,
			Set<String> seenBefore) {
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
			return success(httpStatus, operationId, parse(body).path("data"), instruction, seenBefore);
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

	private SubmitOutcome success(int httpStatus, String operationId, JsonNode data, RefundInstruction instruction,
			Set<String> seenBefore) {
		String currency = blankToNull(data.path("currency").asString(""));
		List<RefundPart> parts = refundParts(data).stream().filter(p -> !seenBefore.contains(p.partId())).toList();
		Settlement provisional = Settlement.of(parts,
				instruction == null ? null : instruction.amount().map(Money::amount).orElse(null),
				instruction == null ? (currency == null ? "" : currency) : instruction.currency().getCurrencyCode(),
				currency);
		return SubmitOutcome.accepted(httpStatus, operationId, parts, currency, provisional);
	}

	/**
	 * Every refund object of a group payment ({@code payments[].refunds[]}), in the order listed. A refund object
	 * without its own currency or payment takes the group's and its payment's.
	 */
	static List<RefundPart> refundParts(JsonNode data) {
		String groupCurrency = blankToNull(data.path("currency").asString(""));
		List<RefundPart> parts = new ArrayList<>();
		for (JsonNode payment : data.path("payments")) {
			for (JsonNode refund : payment.path("refunds")) {
				RefundPart part = refundPart(refund, blankToNull(payment.path("id").asString("")), groupCurrency);
				if (part != null) {
					parts.add(part);
				}
			}
		}
		return parts;
	}

	/** One Rapyd refund object; null when it has no id. */
	static RefundPart refundPart(JsonNode refund, String paymentId, String currency) {
		String id = blankToNull(refund.path("id").asString(""));
		if (id == null) {
			return null;
		}
		String status = refund.path("status").asString("");
		JsonNode amount = refund.path("amount");
		String payment = refund.path("payment").isString() ? blankToNull(refund.path("payment").asString(""))
				: blankToNull(refund.path("payment").path("id").asString(""));
		return new RefundPart(id, payment != null ? payment : paymentId,
				amount.isNumber() ? amount.decimalValue() : null,
				Optional.ofNullable(blankToNull(refund.path("currency").asString(""))).orElse(currency), status,
				RefundPart.rapydState(status), epochSeconds(refund.path("created_at")),
				epochSeconds(refund.path("updated_at")), blankToNull(refund.path("failure_reason").asString("")));
	}

	private static Instant epochSeconds(JsonNode node) {
		return node.isNumber() && node.asLong() > 0 ? Instant.ofEpochSecond(node.asLong()) : null;
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
