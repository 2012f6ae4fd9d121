package io.grouprefunds.sandbox;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

import io.grouprefunds.sandbox.faults.FaultKind;

/**
 * The sandbox's own answers, outside the providers' formats: the refund parts (ground truth), the requests accepted,
 * counters, rates and arrivals, and the admin calls' results.
 */
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

	byte[] health() {
		ObjectNode root = mapper.createObjectNode();
		root.put("status", "UP");
		return mapper.writeValueAsBytes(root);
	}

	/** The refund requests a provider accepted, in order. */
	byte[] appliedRefunds(List<AppliedRefund> refunds) {
		ArrayNode root = mapper.createArrayNode();
		for (AppliedRefund refund : refunds) {
			ObjectNode node = root.addObject();
			node.put("sequence", refund.sequence());
			node.put("group_payment", refund.groupPaymentId());
			putCompact(node, "amount", refund.amount());
			node.put("currency", refund.currency().getCurrencyCode());
			node.put("idempotency_key", refund.idempotencyKey());
			node.put("operation_id", refund.operationId());
			node.put("applied_at", refund.appliedAt().toString());
		}
		return mapper.writeValueAsBytes(root);
	}

	byte[] counters(SimulatedProvider provider) {
		ObjectNode root = mapper.createObjectNode();
		root.put("requests", provider.requestCount());
		root.put("queries", provider.queryCount());
		root.put("applied", provider.appliedCount());
		root.put("too_many_requests", provider.tooManyRequestsCount());
		ObjectNode faults = root.putObject("faults");
		for (Map.Entry<FaultKind, Long> entry : provider.faultCounts().entrySet()) {
			faults.put(entry.getKey().name(), entry.getValue());
		}
		return mapper.writeValueAsBytes(root);
	}

	byte[] stats(SandboxStats stats) {
		ObjectNode root = mapper.createObjectNode();
		root.put("requests", stats.requests());
		root.put("applied", stats.applied());
		root.put("too_many_requests", stats.tooManyRequests());
		root.put("arrivals_per_second", stats.arrivalsPerSecond());
		root.put("window_ms", stats.window().toMillis());
		root.put("max_arrivals_in_window", stats.maxArrivalsInWindow());
		root.put("applied_per_second", stats.appliedPerSecond());
		root.put("first_applied_at", stats.firstApplied() == null ? null : stats.firstApplied().toString());
		root.put("last_applied_at", stats.lastApplied() == null ? null : stats.lastApplied().toString());
		return mapper.writeValueAsBytes(root);
	}

	/** Arrival times in microseconds from the first, so the numbers stay readable and exact. */
	byte[] arrivals(long[] nanos) {
		ArrayNode root = mapper.createArrayNode();
		for (long time : nanos) {
			root.add((time - nanos[0]) / 1000);
		}
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

	/** As Rapyd writes amounts: plain and compact, {@code 42.6} and {@code 100}. */
	private static void putCompact(ObjectNode node, String name, BigDecimal amount) {
		node.putRawValue(name, new RawValue(amount.stripTrailingZeros().toPlainString()));
	}

	/** Plain digits at the currency's scale, {@code 42.60}: exact to the cent, as a JSON number. */
	private static void putAmount(ObjectNode node, String name, BigDecimal amount) {
		node.putRawValue(name, new RawValue(amount.toPlainString()));
	}

}
