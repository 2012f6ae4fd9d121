package io.grouprefunds.sandbox.rapyd;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import com.sun.net.httpserver.Headers;

import io.grouprefunds.provider.rapyd.RapydSigner;
import io.grouprefunds.sandbox.ProviderException;
import io.grouprefunds.sandbox.ProviderHandler;
import io.grouprefunds.sandbox.rapyd.RapydJson.RefundRequest;

/**
 * Rapyd's API on the shared {@link ProviderHandler} flow: Create Group Refund, Retrieve Group Payment, Retrieve
 * Refund and (sandbox only) Complete Refund, with Rapyd's request signatures and its JSON envelope. Every answer has
 * an operation id, errors included: it is what Rapyd support asks for.
 */
final class RapydHandler extends ProviderHandler {

	static final String CONTEXT_PATH = "/v1/";

	private static final String REFUND_PATH = "/v1/refunds/group_payments";

	private static final String GROUP_PAYMENT_PATH = "/v1/payments/group_payments/";

	private static final String REFUND_OBJECT_PATH = "/v1/refunds/";

	private static final String COMPLETE_REFUND_PATH = "/v1/refunds/complete";

	private static final long TIMESTAMP_TOLERANCE_SECONDS = 60;

	private static final List<String> AUTHENTICATION_HEADERS = List.of("access_key", "salt", "timestamp", "signature");

	private final RapydSandbox sandbox;

	private final String accessKey;

	private final String secretKey;

	private final RapydJson json;

	RapydHandler(RapydSandbox sandbox, String accessKey, String secretKey, RapydJson json) {
		super(sandbox);
		this.sandbox = sandbox;
		this.accessKey = accessKey;
		this.secretKey = secretKey;
		this.json = json;
	}

	@Override
	protected Route route(Call call) {
		String method = call.method();
		String path = call.path();
		if (method.equals("POST") && path.equals(REFUND_PATH)) {
			return Route.refund(this::refund);
		}
		if (method.equals("GET") && path.startsWith(GROUP_PAYMENT_PATH)) {
			String id = path.substring(GROUP_PAYMENT_PATH.length());
			return Route.query((query) -> answer(query, json.success(query.reference(), sandbox.groupPayment(id))));
		}
		if (method.equals("POST") && path.equals(COMPLETE_REFUND_PATH)) {
			return Route.query((query) -> answer(query,
					json.success(query.reference(), sandbox.complete(json.parseCompleteToken(query.body())))));
		}
		if (method.equals("GET") && path.startsWith(REFUND_OBJECT_PATH)) {
			String id = path.substring(REFUND_OBJECT_PATH.length());
			return Route.query((query) -> answer(query, json.success(query.reference(), sandbox.refundObject(id))));
		}
		// Rapyd answers a path it does not serve to this account with UNAUTHORIZED_API_CALL.
		throw new RapydException(401, "UNAUTHORIZED_API_CALL", "no such API: " + method + " " + path);
	}

	@Override
	protected String idempotencyKey(Call call) {
		return call.exchange().getRequestHeaders().getFirst("idempotency");
	}

	private Answer refund(Call call) {
		RefundRequest request = json.parseRefund(call.body());
		String idempotencyKey = call.exchange().getRequestHeaders().getFirst("idempotency");
		RapydSandbox.Refunded result = sandbox.refund(request.groupPayment(), request.amount(), idempotencyKey,
				call.reference());
		return answer(call, json.success(call.reference(), result.groupPayment()));
	}

	private static Answer answer(Call call, byte[] body) {
		return new Answer(body, call.reference());
	}

	/** Checks the request as Rapyd does: the signature covers the exact path with query and the exact body. */
	@Override
	protected void authenticate(Call call) {
		Headers headers = call.exchange().getRequestHeaders();
		for (String name : AUTHENTICATION_HEADERS) {
			String value = headers.getFirst(name);
			if (value == null || value.isBlank()) {
				throw new RapydException(400, "MISSING_AUTHENTICATION_HEADERS", "missing header: " + name);
			}
		}
		if (!RapydSigner.matches(accessKey, headers.getFirst("access_key"))) {
			throw unauthenticated("unknown access_key");
		}
		long timestamp;
		try {
			timestamp = Long.parseLong(headers.getFirst("timestamp"));
		}
		catch (NumberFormatException ex) {
			throw unauthenticated("timestamp must be Unix time in seconds");
		}
		if (Math.abs(Instant.now().getEpochSecond() - timestamp) > TIMESTAMP_TOLERANCE_SECONDS) {
			throw unauthenticated("timestamp is more than " + TIMESTAMP_TOLERANCE_SECONDS
					+ " seconds away from the server time");
		}
		URI uri = call.exchange().getRequestURI();
		String urlPath = uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
		String expected = RapydSigner.sign(call.method(), urlPath, headers.getFirst("salt"), timestamp, accessKey,
				secretKey, new String(call.body(), StandardCharsets.UTF_8));
		if (!RapydSigner.matches(expected, headers.getFirst("signature"))) {
			throw unauthenticated("the request signature does not match: sign the exact body sent, as compact JSON "
					+ "with no whitespace and no trailing zeros, and the path from /v1 with its query");
		}
	}

	private static RapydException unauthenticated(String message) {
		return new RapydException(401, "UNAUTHENTICATED_API_CALL", message);
	}

	@Override
	protected byte[] errorJson(Call call, ProviderException error) {
		return json.error(call.reference(), error.code(), error.getMessage());
	}

	@Override
	protected byte[] internalErrorJson(Call call, String message) {
		return json.error(call.reference(), "INTERNAL_SERVER_ERROR", message);
	}

	@Override
	protected byte[] tooManyRequestsJson(Call call) {
		return json.error(call.reference(), "TOO_MANY_REQUESTS", "request rate limit exceeded");
	}

}
