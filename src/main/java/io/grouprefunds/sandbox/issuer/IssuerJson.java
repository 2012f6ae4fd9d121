package io.grouprefunds.sandbox.issuer;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

import io.grouprefunds.sandbox.RefundPart;
import io.grouprefunds.sandbox.RefundStatus;

/**
 * The card issuer's wire format: a flat object of string values in; {@code {"code","msg":{"zh-CN","en-US"},"data"}}
 * out, with ids and amounts in {@code data} as JSON numbers, as in the seed's example.
 */
final class IssuerJson {

	private final JsonMapper mapper = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
		.build();

	/**
	 * The request's fields, every value a string as the issuer documents.
	 * @throws IssuerException {@code BAD_PARAMETER} when the body is not such an object
	 */
	Map<String, String> parseRequest(byte[] body) {
		JsonNode root;
		try {
			root = mapper.readTree(body);
		}
		catch (JacksonException ex) {
			throw badParameter("request body is not valid JSON");
		}
		if (root == null || !root.isObject()) {
			throw badParameter("request body must be a JSON object");
		}
		Map<String, String> fields = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> field : root.properties()) {
			if (!field.getValue().isString()) {
				throw badParameter(field.getKey() + " must be a JSON string");
			}
			fields.put(field.getKey(), field.getValue().stringValue());
		}
		return fields;
	}

	byte[] refunded(IssuerSandbox.Refunded result) {
		ObjectNode data = mapper.createObjectNode();
		putNumber(data, "companyId", result.group().companyId());
		putNumber(data, "groupId", result.group().groupId());
		putNumber(data, "refundAmount", result.refund().amount().toPlainString());
		data.put("status", status(result.part().status()));
		putNumber(data, "reqNo", result.refund().operationId());
		return success(data);
	}

	/** Query refund's answer (inferred, SANDBOX-LIFECYCLE.md): the refund's status now, times in Unix seconds. */
	byte[] refundStatus(RefundPart refund) {
		ObjectNode data = mapper.createObjectNode();
		putNumber(data, "reqNo", refund.id());
		putNumber(data, "groupId", refund.groupId());
		putNumber(data, "refundAmount", refund.amount().toPlainString());
		data.put("status", status(refund.status()));
		data.put("updatedAt", refund.updatedAt().getEpochSecond());
		return success(data);
	}

	/** The issuer's refund status (inferred): "1" succeeded, "0" processing, "2" failed. */
	static String status(RefundStatus status) {
		return switch (status) {
			case COMPLETED -> "1";
			case PENDING -> "0";
			case REJECTED, ERROR, CANCELLED -> "2";
		};
	}

	/** The group details, with the refunded total under the field the job reads by default (inferred). */
	byte[] group(IssuerGroup.View group) {
		ObjectNode data = mapper.createObjectNode();
		putNumber(data, "companyId", group.companyId());
		putNumber(data, "groupId", group.groupId());
		data.put("currency", group.currency().getCurrencyCode());
		putNumber(data, "balance", group.balance().toPlainString());
		putNumber(data, "totalRefundAmount", group.refunded().toPlainString());
		data.put("status", "1");
		return success(data);
	}

	byte[] error(int code, String english, String chinese) {
		ObjectNode root = mapper.createObjectNode();
		root.put("code", code);
		putMessage(root, english, chinese);
		root.putNull("data");
		return mapper.writeValueAsBytes(root);
	}

	private byte[] success(ObjectNode data) {
		ObjectNode root = mapper.createObjectNode();
		root.put("code", 0);
		putMessage(root, "Success", "成功");
		root.set("data", data);
		return mapper.writeValueAsBytes(root);
	}

	private static void putMessage(ObjectNode root, String english, String chinese) {
		ObjectNode msg = root.putObject("msg");
		msg.put("zh-CN", chinese);
		msg.put("en-US", english);
	}

	/** Digits written as a JSON number exactly as they are: {@code 4101}, {@code 11.36}, never {@code 1.136E1}. */
	private static void putNumber(ObjectNode node, String name, String digits) {
		node.putRawValue(name, new RawValue(new BigDecimal(digits).toPlainString()));
	}

	private static IssuerException badParameter(String english) {
		return new IssuerException(IssuerException.BAD_PARAMETER, english, "参数错误");
	}

}
