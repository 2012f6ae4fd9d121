package io.grouprefunds.sandbox;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.grouprefunds.provider.rapyd.RapydSigner;
import io.grouprefunds.sandbox.RapydJson.RefundRequest;

/**
 * Serves Rapyd's Create Group Refund, Retrieve Group Payment, Retrieve Refund and (sandbox only) Complete Refund, with
 * Rapyd's request signatures and the faults in force. Outages and 429s answer before authentication, as a gateway or
 * WAF in front of Rapyd would.
 */
final class RapydHandler implements HttpHandler {

	private static final String REFUND_PATH = "/v1/refunds/group_payments";

	private static final String GROUP_PAYMENT_PATH = "/v1/payments/group_payments/";

	private static final String REFUND_OBJECT_PATH = "/v1/refunds/";

	private static final String COMPLETE_REFUND_PATH = "/v1/refunds/complete";

	private static final long TIMESTAMP_TOLERANCE_SECONDS = 60;

	private static final List<String> AUTHENTICATION_HEADERS = List.of("access_key", "salt", "timestamp", "signature");

	private static final Logger log = LoggerFactory.getLogger(RapydHandler.class);

	private final RapydSandbox sandbox;

	private final String accessKey;

	private final String secretKey;

	private final RapydJson json;

	RapydHandler(RapydSandbox sandbox, String accessKey, String secretKey, RapydJson json) {
		this.sandbox = sandbox;
		this.accessKey = accessKey;
		this.secretKey = secretKey;
		this.json = json;
	}

	@Override
	public void handle(HttpExchange exchange) {
		// Rapyd gives every answer an operation id, errors included: it is what Rapyd support asks for.
		String operationId = UUID.randomUUID().toString();
		String method = exchange.getRequestMethod();
		String path = exchange.getRequestURI().getRawPath();
		try {
			byte[] body = exchange.getRequestBody().readAllBytes();
			if (method.equals("POST") && path.equals(REFUND_PATH)) {
				refund(exchange, body, operationId);
			}
			else if (method.equals("GET") && path.startsWith(GROUP_PAYMENT_PATH)) {
				String id = path.substring(GROUP_PAYMENT_PATH.length());
				query(exchange, body, operationId, () -> json.success(operationId, sandbox.groupPayment(id)));
			}
			else if (method.equals("GET") && path.startsWith(REFUND_OBJECT_PATH)) {
				String id = path.substring(REFUND_OBJECT_PATH.length());
				query(exchange, body, operationId, () -> json.success(operationId, sandbox.refundObject(id)));
			}
			else if (method.equals("POST") && path.equals(COMPLETE_REFUND_PATH)) {
				query(exchange, body, operationId,
						() -> json.success(operationId, sandbox.complete(json.parseCompleteToken(body))));
			}
			else {
				// Rapyd answers a path it does not serve to this account with UNAUTHORIZED_API_CALL.
				String message = "no such API: " + method + " " + path;
				sendError(exchange, new RapydException(401, "UNAUTHORIZED_API_CALL", message), operationId);
			}
		}
		catch (IOException ex) {
			log.debug("Sandbox could not answer {} {}: {}", method, path, ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			log.error("Sandbox failed on {} {} (operation {})", method, path, operationId, ex);
			answerBug(exchange, operationId);
		}
		finally {
			// Closing an exchange that sent no response header closes the connection: that is how a drop is made.
			exchange.close();
		}
	}

	/** A sandbox bug answers 500 when it still can, so it is not mistaken for an injected drop. */
	private void answerBug(HttpExchange exchange, String operationId) {
		try {
			Responses.send(exchange, 500, Responses.JSON,
					json.error(operationId, "INTERNAL_SERVER_ERROR", "sandbox error; see its log"));
		}
		catch (IOException | RuntimeException ex) {
			log.debug("Sandbox could not report its error on operation {}: {}", operationId, ex.getMessage());
		}
	}

	private void refund(HttpExchange exchange, byte[] body, String operationId)
			throws IOException, InterruptedException {
		FaultDecision faults = sandbox.nextRefundFaults();
		delay(faults);
		FaultKind before = faults.beforeApply();
		if (before != null && before != FaultKind.ERROR_BEFORE_APPLY) {
			sendGatewayFault(exchange, faults, operationId);
			return;
		}
		try {
			authenticate(exchange, body);
			if (before == FaultKind.ERROR_BEFORE_APPLY) {
				sandbox.countFault(before);
				Responses.send(exchange, 500, Responses.JSON,
						json.error(operationId, "INTERNAL_SERVER_ERROR", "internal error; nothing was done"));
				return;
			}
			RefundRequest request = json.parseRefund(body);
			String idempotencyKey = exchange.getRequestHeaders().getFirst("idempotency");
			RefundResult result = sandbox.refund(request.groupPayment(), request.amount(), idempotencyKey,
					operationId);
			answerApplied(exchange, faults, json.success(operationId, result.groupPayment()), operationId);
		}
		catch (RapydException ex) {
			sendError(exchange, ex, operationId);
		}
	}

	private void answerApplied(HttpExchange exchange, FaultDecision faults, byte[] success, String operationId)
			throws IOException, InterruptedException {
		InjectedFaults.answerApplied(exchange, sandbox, faults, success,
				() -> json.error(operationId, "INTERNAL_SERVER_ERROR", "internal error"), operationId);
	}

	/**
	 * A call that creates no refund: it meets only latency and outages.
	 * @param answer the SUCCESS body, or a {@link RapydException}
	 */
	private void query(HttpExchange exchange, byte[] body, String operationId, Supplier<byte[]> answer)
			throws IOException, InterruptedException {
		FaultDecision faults = sandbox.nextQueryFaults();
		delay(faults);
		if (faults.beforeApply() != null) {
			sendGatewayFault(exchange, faults, operationId);
			return;
		}
		try {
			authenticate(exchange, body);
			Responses.send(exchange, 200, Responses.JSON, answer.get());
		}
		catch (RapydException ex) {
			sendError(exchange, ex, operationId);
		}
	}

	private void delay(FaultDecision faults) throws InterruptedException {
		InjectedFaults.delay(sandbox, faults);
	}

	/** Outages and 429s: answered by what stands in front of Rapyd, so possibly not in Rapyd's format. */
	private void sendGatewayFault(HttpExchange exchange, FaultDecision faults, String operationId)
			throws IOException {
		InjectedFaults.sendGatewayFault(exchange, sandbox, faults,
				() -> json.error(operationId, "TOO_MANY_REQUESTS", "request rate limit exceeded"));
	}

	/** Checks the request as Rapyd does: the signature covers the exact path with query and the exact body. */
	private void authenticate(HttpExchange exchange, byte[] body) {
		Headers headers = exchange.getRequestHeaders();
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
		URI uri = exchange.getRequestURI();
		String urlPath = uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
		String expected = RapydSigner.sign(exchange.getRequestMethod(), urlPath, headers.getFirst("salt"), timestamp,
				accessKey, secretKey, new String(body, StandardCharsets.UTF_8));
		if (!RapydSigner.matches(expected, headers.getFirst("signature"))) {
			throw unauthenticated("the request signature does not match: sign the exact body sent, as compact JSON "
					+ "with no whitespace and no trailing zeros, and the path from /v1 with its query");
		}
	}

	private static RapydException unauthenticated(String message) {
		return new RapydException(401, "UNAUTHENTICATED_API_CALL", message);
	}

	private void sendError(HttpExchange exchange, RapydException error, String operationId) throws IOException {
		log.info("Sandbox refused {} {}: {} {} (operation {})", exchange.getRequestMethod(),
				exchange.getRequestURI().getRawPath(), error.errorCode(), error.getMessage(), operationId);
		Responses.send(exchange, error.httpStatus(), Responses.JSON,
				json.error(operationId, error.errorCode(), error.getMessage()));
	}

}
