package io.grouprefunds.sandbox;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import io.grouprefunds.provider.issuer.IssuerSigner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the card issuer's Refund group, Query group details and Query refund (inferred) under {@code /api}, checking
 * the sign over the
 * configured fields, with the faults in force. Errors are HTTP 200 with a non-zero {@code code}, as the issuer's
 * answers are (inferred); outages and 429s answer before any check, as a gateway in front of it would.
 */
final class IssuerHandler implements HttpHandler {

	static final String BASE_PATH = "/api";

	private static final Logger log = LoggerFactory.getLogger(IssuerHandler.class);

	private final IssuerSandbox sandbox;

	private final IssuerSandboxSettings settings;

	private final IssuerJson json;

	IssuerHandler(IssuerSandbox sandbox, IssuerSandboxSettings settings, IssuerJson json) {
		this.sandbox = sandbox;
		this.settings = settings;
		this.json = json;
	}

	@Override
	public void handle(HttpExchange exchange) {
		String method = exchange.getRequestMethod();
		String path = exchange.getRequestURI().getRawPath();
		// The issuer gives no reference to failed calls; this one is for the sandbox's own log.
		String reference = UUID.randomUUID().toString();
		try {
			byte[] body = exchange.getRequestBody().readAllBytes();
			if (method.equals("POST") && path.equals(BASE_PATH + settings.refundPath())) {
				refund(exchange, body, reference);
			}
			else if (method.equals("POST") && path.equals(BASE_PATH + settings.queryPath())) {
				query(exchange, body, reference, settings.querySignFields(),
						(request) -> json.group(sandbox.group(request.get("company_id"), required(request, "group_id"))));
			}
			else if (method.equals("POST") && path.equals(BASE_PATH + settings.refundQueryPath())) {
				query(exchange, body, reference, settings.refundQuerySignFields(), (request) -> json
					.refundStatus(sandbox.refundOf(request.get("company_id"), required(request, "req_no"))));
			}
			else {
				Responses.send(exchange, 404, Responses.JSON,
						json.error(404, "no such API: " + method + " " + path, "接口不存在"));
			}
		}
		catch (IOException ex) {
			log.debug("Sandbox could not answer {} {}: {}", method, path, ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			log.error("Sandbox failed on {} {} ({})", method, path, reference, ex);
			answerBug(exchange);
		}
		finally {
			// Closing an exchange that sent no response header closes the connection: that is how a drop is made.
			exchange.close();
		}
	}

	private void answerBug(HttpExchange exchange) {
		try {
			Responses.send(exchange, 500, Responses.JSON, json.error(500, "sandbox error; see its log", "系统错误"));
		}
		catch (IOException | RuntimeException ex) {
			log.debug("Sandbox could not report its error: {}", ex.getMessage());
		}
	}

	private void refund(HttpExchange exchange, byte[] body, String reference) throws IOException, InterruptedException {
		FaultDecision faults = sandbox.nextRefundFaults();
		InjectedFaults.delay(sandbox, faults);
		FaultKind before = faults.beforeApply();
		if (before != null && before != FaultKind.ERROR_BEFORE_APPLY) {
			InjectedFaults.sendGatewayFault(exchange, sandbox, faults,
					() -> json.error(429, "Too many requests", "请求过于频繁"));
			return;
		}
		try {
			Map<String, String> request = json.parseRequest(body);
			authenticate(request, settings.refundSignFields());
			if (before == FaultKind.ERROR_BEFORE_APPLY) {
				sandbox.countFault(before);
				Responses.send(exchange, 500, Responses.JSON,
						json.error(500, "Internal error; nothing was done", "系统错误"));
				return;
			}
			String requestId = request.getOrDefault("request_id", "");
			if (requestId.length() > 100) {
				throw new IssuerException(IssuerException.BAD_PARAMETER, "request_id is longer than 100 characters",
						"request_id 过长");
			}
			IssuerSandbox.Refunded result = sandbox.refund(request.get("company_id"), required(request, "group_id"),
					required(request, "refund_amount"), requestId);
			InjectedFaults.answerApplied(exchange, sandbox, faults, json.refunded(result),
					() -> json.error(500, "Internal error", "系统错误"), result.refund().operationId());
		}
		catch (IssuerException ex) {
			sendError(exchange, ex, reference);
		}
	}

	/** A call that creates no refund: it meets only latency and outages. */
	private void query(HttpExchange exchange, byte[] body, String reference, List<String> signFields,
			Function<Map<String, String>, byte[]> answer) throws IOException, InterruptedException {
		FaultDecision faults = sandbox.nextQueryFaults();
		InjectedFaults.delay(sandbox, faults);
		if (faults.beforeApply() != null) {
			InjectedFaults.sendGatewayFault(exchange, sandbox, faults,
					() -> json.error(429, "Too many requests", "请求过于频繁"));
			return;
		}
		try {
			Map<String, String> request = json.parseRequest(body);
			authenticate(request, signFields);
			Responses.send(exchange, 200, Responses.JSON, answer.apply(request));
		}
		catch (IssuerException ex) {
			sendError(exchange, ex, reference);
		}
	}

	/** Checks the company and the sign, computed over the configured fields of the values sent. */
	private void authenticate(Map<String, String> request, List<String> signFields) {
		if (!IssuerSigner.matches(settings.companyId(), request.get("company_id"))) {
			throw new IssuerException(IssuerException.UNKNOWN_COMPANY, "Company not found", "商户不存在");
		}
		for (String field : signFields) {
			required(request, field);
		}
		String expected = IssuerSigner.sign(signFields, request, settings.apiKey());
		if (!IssuerSigner.matches(expected, request.get("sign"))) {
			throw new IssuerException(IssuerException.BAD_SIGN, "Sign verification failed", "签名验证失败");
		}
	}

	private static String required(Map<String, String> request, String field) {
		String value = request.get(field);
		if (value == null || (value.isEmpty() && !field.equals("request_id"))) {
			throw new IssuerException(IssuerException.BAD_PARAMETER, field + " is required", field + " 不能为空");
		}
		return value;
	}

	private void sendError(HttpExchange exchange, IssuerException error, String reference) throws IOException {
		log.info("Sandbox refused {} {}: code {} {} ({})", exchange.getRequestMethod(),
				exchange.getRequestURI().getRawPath(), error.code(), error.english(), reference);
		Responses.send(exchange, 200, Responses.JSON, json.error(error.code(), error.english(), error.chinese()));
	}

}
