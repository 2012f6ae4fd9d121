package io.grouprefunds.provider.issuer;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.grouprefunds.domain.Money;
import io.grouprefunds.domain.PartState;
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
 * Every card issuer answer, or the lack of one, classified by what to do about it: the one place where that is
 * decided for the issuer. No error table is public, so the codes are settings (see {@link IssuerProperties}).
 *
 * <ul>
 * <li>no connection made: not processed, try again now; 429: not processed, try again after Retry-After or a
 * backoff;</li>
 * <li>HTTP 401/403, a {@code code} among {@code stop-codes}, or a message about the sign or key: our configuration
 * is wrong, stop the job;</li>
 * <li>{@code code 0}: accepted, one refund part {@code data.reqNo} (also kept as the provider reference) with
 * {@code data.status}: a succeeded status ("1") is Completed, a failed one ("2") failed, a pending one ("0") or any
 * other still pending; the row's status is the part-status rule's reading ({@link Settlement}), in the group's
 * currency when known, else the configured one;</li>
 * <li>a {@code code} among {@code retry-codes} (none by default): not processed, try again now;</li>
 * <li>any other {@code code}: declined, final, with the code and the message in both languages (English first);</li>
 * <li>5xx, timeouts after sending, connection lost, an unreadable 2xx: unknown outcome, reconcile;</li>
 * <li>another 4xx that is not the issuer's JSON: stopped in front of the issuer, not processed (404/405: wrong
 * base URL or path, stop the job).</li>
 * </ul>
 */
final class IssuerOutcomes {

	private final JsonMapper json;

	private final Set<String> succeededStatuses;

	private final Set<Integer> stopCodes;

	private final Pattern stopMessage;

	private final Set<Integer> retryCodes;

	private final Set<String> failedStatuses;

	IssuerOutcomes(JsonMapper json, IssuerProperties properties) {
		this.json = json;
		this.succeededStatuses = properties.succeededStatuses();
		this.failedStatuses = properties.failedStatuses();
		this.stopCodes = properties.stopCodes();
		this.stopMessage = Pattern.compile(properties.stopMessagePattern());
		this.retryCodes = properties.retryCodes();
	}

	/** Classifies an HTTP answer with no refund or currency known (tests of the table). */
	SubmitOutcome fromResponse(int httpStatus, String retryAfter, String body) {
		return fromResponse(httpStatus, retryAfter, body, null, null);
	}

	/**
	 * Classifies an HTTP answer. {@code retryAfter} is the header's raw value or null.
	 * @param instruction the refund sent, for the provisional reading of its part; null when not known
	 * @param currency the group's currency as far as it is known; null when not
	 */
	SubmitOutcome fromResponse(int httpStatus, String retryAfter, String body, RefundInstruction instruction,
			String currency) {
		if (httpStatus == 429) {
			return SubmitOutcome.retryNow(429, HttpFailures.retryAfter(retryAfter), "HTTP_429", "rate limited");
		}
		if (httpStatus == 401 || httpStatus == 403) {
			return SubmitOutcome.stopJob(httpStatus, null, "HTTP_" + httpStatus,
					"the card issuer answered HTTP " + httpStatus + ": check refunds.issuer.api-key, "
							+ "refunds.issuer.company-id and refunds.issuer.base-url");
		}
		JsonNode root = parse(body);
		Integer code = code(root);
		if (httpStatus >= 500) {
			return SubmitOutcome.unknown(httpStatus, null, code == null ? "HTTP_" + httpStatus : code.toString(),
					"provider error: the refund may or may not have been applied");
		}
		if (code != null) {
			String message = message(root.path("msg"));
			String reqNo = text(root.path("data").path("reqNo"));
			if (code == 0) {
				return httpStatus >= 200 && httpStatus < 300
						? success(httpStatus, reqNo, root.path("data"), instruction, currency)
						: SubmitOutcome.unknown(httpStatus, reqNo, "0", "code 0 with HTTP " + httpStatus);
			}
			if (stopCodes.contains(code) || stopMessage.matcher(english(root.path("msg"))).find()) {
				return SubmitOutcome.stopJob(httpStatus, reqNo, code.toString(),
						"the card issuer refused our credentials (code " + code + ": " + message + "): check "
								+ "refunds.issuer.api-key, refunds.issuer.company-id and refunds.issuer.sign-fields");
			}
			if (retryCodes.contains(code)) {
				return SubmitOutcome.retryNow(httpStatus, null, code.toString(), message);
			}
			return SubmitOutcome.of(RowStatus.DECLINED, httpStatus, reqNo, null, code.toString(), message);
		}
		if (httpStatus == 404 || httpStatus == 405) {
			// Not an issuer answer: a base URL or path that points elsewhere.
			return SubmitOutcome.stopJob(httpStatus, null, "HTTP_" + httpStatus, "HTTP " + httpStatus
					+ " without a card issuer answer: check refunds.issuer.base-url and refunds.issuer.refund-path");
		}
		if (httpStatus >= 400) {
			// A 4xx that is not the issuer's JSON was stopped before the issuer processed it.
			return SubmitOutcome.of(RowStatus.RETRYABLE, httpStatus, null, null, "HTTP_" + httpStatus,
					"rejected before processing");
		}
		return SubmitOutcome.unknown(httpStatus, null, "UNREADABLE_RESPONSE",
				"HTTP " + httpStatus + " with a body that is not a card issuer answer");
	}

	/** Classifies a request that got no HTTP answer. */
	SubmitOutcome fromTransportError(Throwable error) {
		return HttpFailures.noAnswer(error);
	}

	private SubmitOutcome success(int httpStatus, String reqNo, JsonNode data, RefundInstruction instruction,
			String currency) {
		String rowCurrency = instruction == null ? currency : instruction.currency().getCurrencyCode();
		List<RefundPart> parts = reqNo == null ? List.of()
				: List.of(part(reqNo, data.path("refundAmount"), text(data.path("status")), currency,
						data.path("updatedAt")));
		Settlement provisional = Settlement.of(parts,
				instruction == null ? null : instruction.amount().map(Money::amount).orElse(null),
				rowCurrency == null ? "" : rowCurrency, currency);
		return SubmitOutcome.accepted(httpStatus, reqNo, parts, currency, provisional);
	}

	/** The issuer's refund ({@code reqNo}) as a part; its status's meaning comes from the configured lists. */
	RefundPart part(String reqNo, JsonNode amount, String status, String currency, JsonNode updatedAt) {
		String amountText = text(amount);
		Instant updated = updatedAt.isNumber() && updatedAt.asLong() > 0 ? Instant.ofEpochSecond(updatedAt.asLong())
				: null;
		BigDecimal value = null;
		try {
			value = amountText == null ? null : new BigDecimal(amountText);
		}
		catch (NumberFormatException ex) {
			// an amount we cannot read: the part is kept without one (the rule then sees a total that differs)
		}
		return new RefundPart(reqNo, null, value, currency,
				status == null ? "" : status, state(status), null, updated, null);
	}

	PartState state(String status) {
		if (status != null && succeededStatuses.contains(status)) {
			return PartState.COMPLETED;
		}
		return status != null && failedStatuses.contains(status) ? PartState.FAILED : PartState.PENDING;
	}

	/** {@code code} as a number; a numeric string is taken too. Null when the body is not the issuer's JSON. */
	static Integer code(JsonNode root) {
		JsonNode code = root.path("code");
		if (code.isIntegralNumber() && code.canConvertToInt()) {
			return code.intValue();
		}
		if (code.isString() && code.stringValue().matches("-?[0-9]{1,9}")) {
			return Integer.valueOf(code.stringValue());
		}
		return null;
	}

	/** Both languages, English first: {@code Insufficient balance | 余额不足}. A plain string is kept as it is. */
	static String message(JsonNode msg) {
		if (msg.isString()) {
			return msg.stringValue();
		}
		String english = english(msg);
		String chinese = msg.path("zh-CN").asString("");
		if (english.isEmpty() || chinese.isEmpty()) {
			return english.isEmpty() ? (chinese.isEmpty() ? null : chinese) : english;
		}
		return english + " | " + chinese;
	}

	private static String english(JsonNode msg) {
		return msg.isString() ? msg.stringValue() : msg.path("en-US").asString("");
	}

	/** A scalar as text ({@code 114001}, {@code "1"}); null when absent. */
	static String text(JsonNode node) {
		if (node == null || node.isMissingNode() || node.isNull() || node.isContainer()) {
			return null;
		}
		String text = node.isNumber() ? node.decimalValue().toPlainString() : node.asString("");
		return text.isEmpty() ? null : text;
	}

	private JsonNode parse(String body) {
		try {
			return json.readTree(body == null || body.isBlank() ? "{}" : body);
		}
		catch (JacksonException ex) {
			return json.missingNode();
		}
	}

}
