package io.grouprefunds.sandbox.rapyd;

import java.math.BigDecimal;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

import io.grouprefunds.sandbox.RefundPart;
import io.grouprefunds.sandbox.rapyd.GroupPayment.PaymentView;

/** Rapyd's wire format: the refund request in; the status envelope, the group payment and refund objects out. */
final class RapydJson {

	/** Floats read as BigDecimal: a refund amount must arrive exactly as sent. */
	private final JsonMapper mapper = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
		.build();

	/** The body of a group refund request. */
	record RefundRequest(String groupPayment, BigDecimal amount) {
	}

	/** @throws RapydException 400 when the body is not a refund request */
	RefundRequest parseRefund(byte[] body) {
		JsonNode root;
		try {
			root = mapper.readTree(body);
		}
		catch (JacksonException ex) {
			throw RapydException.refused("INVALID_REQUEST_BODY", "request body is not valid JSON");
		}
		if (root == null || !root.isObject()) {
			throw RapydException.refused("INVALID_REQUEST_BODY", "request body must be a JSON object");
		}
		JsonNode groupPayment = root.get("group_payment");
		if (groupPayment == null || !groupPayment.isString() || groupPayment.stringValue().isBlank()) {
			throw RapydException.refused("INVALID_REQUEST_BODY", "group_payment is required and must be a string");
		}
		JsonNode amount = root.get("amount");
		if (amount == null) {
			return new RefundRequest(groupPayment.stringValue(), null);
		}
		// A null or a string amount is refused rather than read as "refund everything".
		if (!amount.isNumber()) {
			throw RapydException.refused("ERROR_CREATE_REFUND", "amount must be a number");
		}
		return new RefundRequest(groupPayment.stringValue(), amount.decimalValue());
	}

	byte[] success(String operationId, GroupPayment.View group) {
		ObjectNode root = mapper.createObjectNode();
		putStatus(root, "", "SUCCESS", "", operationId);
		ObjectNode data = root.putObject("data");
		data.put("id", group.id());
		putAmount(data, "amount", group.amount());
		data.put("currency", group.currency().getCurrencyCode());
		data.put("status", group.status().wire());
		ArrayNode payments = data.putArray("payments");
		for (PaymentView payment : group.payments()) {
			ObjectNode node = payments.addObject();
			node.put("id", payment.id());
			putAmount(node, "amount", payment.amount());
			putAmount(node, "original_amount", payment.amount());
			node.put("currency_code", group.currency().getCurrencyCode());
			node.put("status", group.status().paymentWire());
			node.put("refunded", payment.refundedAmount().signum() > 0);
			putAmount(node, "refunded_amount", payment.refundedAmount());
			node.put("group_payment", group.id());
			ArrayNode refunds = node.putArray("refunds");
			payment.refunds().forEach((refund) -> putRefund(refunds.addObject(), refund));
		}
		return mapper.writeValueAsBytes(root);
	}

	/** A refund object in the SUCCESS envelope: Retrieve Refund's and Complete Refund's answer. */
	byte[] success(String operationId, RefundPart refund) {
		ObjectNode root = mapper.createObjectNode();
		putStatus(root, "", "SUCCESS", "", operationId);
		putRefund(root.putObject("data"), refund);
		return mapper.writeValueAsBytes(root);
	}

	/**
	 * The {@code token} of a Complete Refund body.
	 * @throws RapydException 400 when the body has none
	 */
	String parseCompleteToken(byte[] body) {
		JsonNode root;
		try {
			root = mapper.readTree(body);
		}
		catch (JacksonException ex) {
			throw RapydException.refused("INVALID_REQUEST_BODY", "request body is not valid JSON");
		}
		JsonNode token = (root != null && root.isObject()) ? root.get("token") : null;
		if (token == null || !token.isString() || token.stringValue().isBlank()) {
			throw RapydException.refused("ERROR_COMPLETE_REFUND", "token (the refund id) is required");
		}
		return token.stringValue();
	}

	/** One refund object, with times in Unix seconds as Rapyd writes them. */
	private static void putRefund(ObjectNode node, RefundPart refund) {
		node.put("id", refund.id());
		putAmount(node, "amount", refund.amount());
		node.put("currency", refund.currency().getCurrencyCode());
		node.put("payment", refund.paymentId());
		node.put("status", refund.status().wire());
		node.put("created_at", refund.createdAt().getEpochSecond());
		node.put("updated_at", refund.updatedAt().getEpochSecond());
		node.put("failure_reason", refund.failureReason());
	}

	/** Rapyd's error answer: only {@code status}, with {@code error_code == response_code}. */
	byte[] error(String operationId, String errorCode, String message) {
		ObjectNode root = mapper.createObjectNode();
		putStatus(root, errorCode, "ERROR", message, operationId);
		return mapper.writeValueAsBytes(root);
	}

	private static void putStatus(ObjectNode root, String errorCode, String status, String message,
			String operationId) {
		ObjectNode node = root.putObject("status");
		node.put("error_code", errorCode);
		node.put("status", status);
		node.put("message", message);
		node.put("response_code", errorCode);
		node.put("operation_id", operationId);
	}

	/** Amounts go out as Rapyd writes them: plain and compact, {@code 42.6} and {@code 100}, never {@code 1E+2}. */
	private static void putAmount(ObjectNode node, String name, BigDecimal amount) {
		node.putRawValue(name, new RawValue(amount.stripTrailingZeros().toPlainString()));
	}

}
