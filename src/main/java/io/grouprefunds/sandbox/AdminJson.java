package io.grouprefunds.sandbox;

import java.math.BigDecimal;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/** The sandbox's own answers, outside the providers' formats: the refund parts (ground truth) and admin results. */
final class AdminJson {

	private final JsonMapper mapper = JsonMapper.builder().build();

	/** Every part, one object each: what the tests compare the ledger with, to the cent. */
	byte[] refundParts(List<RefundPart> parts) {
		ArrayNode root = mapper.createArrayNode();
		parts.forEach((part) -> putPart(root.addObject(), part));
		return mapper.writeValueAsBytes(root);
	}

	byte[] refundPart(RefundPart part) {
		ObjectNode root = mapper.createObjectNode();
		putPart(root, part);
		return mapper.writeValueAsBytes(root);
	}

	byte[] settled(int count) {
		ObjectNode root = mapper.createObjectNode();
		root.put("settled", count);
		return mapper.writeValueAsBytes(root);
	}

	byte[] error(String message) {
		ObjectNode root = mapper.createObjectNode();
		root.put("error", message);
		return mapper.writeValueAsBytes(root);
	}

	private static void putPart(ObjectNode node, RefundPart part) {
		node.put("id", part.id());
		node.put("provider", part.provider());
		node.put("group", part.groupId());
		node.put("payment", part.paymentId());
		putAmount(node, "amount", part.amount());
		node.put("currency", part.currency().getCurrencyCode());
		node.put("status", part.status().wire());
		node.put("idempotency_key", part.idempotencyKey());
		node.put("operation_id", part.operationId());
		node.put("request_sequence", part.requestSequence());
		node.put("created_at", part.createdAt().getEpochSecond());
		node.put("updated_at", part.updatedAt().getEpochSecond());
		node.put("failure_reason", part.failureReason());
	}

	/** Plain digits at the currency's scale, {@code 42.60}: exact to the cent, as a JSON number. */
	private static void putAmount(ObjectNode node, String name, BigDecimal amount) {
		node.putRawValue(name, new RawValue(amount.toPlainString()));
	}

}
