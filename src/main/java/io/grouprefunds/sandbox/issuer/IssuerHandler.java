package io.grouprefunds.sandbox.issuer;

import java.util.List;
import java.util.Map;

import io.grouprefunds.provider.issuer.IssuerSigner;
import io.grouprefunds.sandbox.IssuerSandboxSettings;
import io.grouprefunds.sandbox.ProviderException;
import io.grouprefunds.sandbox.ProviderHandler;

/**
 * The card issuer's API on the shared {@link ProviderHandler} flow: Refund group, Query group details and Query
 * refund (inferred) under {@code /api}, checking {@code company_id} and the sign over the configured fields. Errors
 * are HTTP 200 with a non-zero {@code code}, as the issuer's answers are (inferred).
 */
final class IssuerHandler extends ProviderHandler {

	static final String BASE_PATH = "/api";

	private final IssuerSandbox sandbox;

	private final IssuerSandboxSettings settings;

	private final IssuerJson json;

	IssuerHandler(IssuerSandbox sandbox, IssuerSandboxSettings settings, IssuerJson json) {
		super(sandbox);
		this.sandbox = sandbox;
		this.settings = settings;
		this.json = json;
	}

	@Override
	protected Route route(Call call) {
		if (call.method().equals("POST")) {
			String path = call.path();
			if (path.equals(BASE_PATH + settings.refundPath())) {
				return Route.refund(this::refund);
			}
			if (path.equals(BASE_PATH + settings.queryPath())) {
				return Route.query((query) -> {
					Map<String, String> request = json.parseRequest(query.body());
					return answer(query, json.group(sandbox.group(request.get("company_id"),
							required(request, "group_id"))));
				});
			}
			if (path.equals(BASE_PATH + settings.refundQueryPath())) {
				return Route.query((query) -> {
					Map<String, String> request = json.parseRequest(query.body());
					return answer(query, json.refundStatus(sandbox.refundOf(request.get("company_id"),
							required(request, "req_no"))));
				});
			}
		}
		throw new IssuerException(IssuerException.NO_SUCH_API, "no such API: " + call.method() + " " + call.path(),
				"接口不存在");
	}

	@Override
	protected String idempotencyKey(Call call) {
		return json.parseRequest(call.body()).get("request_id");
	}

	private Answer refund(Call call) {
		Map<String, String> request = json.parseRequest(call.body());
		String requestId = request.getOrDefault("request_id", "");
		if (requestId.length() > 100) {
			throw new IssuerException(IssuerException.BAD_PARAMETER, "request_id is longer than 100 characters",
					"request_id 过长");
		}
		IssuerSandbox.Refunded result = sandbox.refund(request.get("company_id"), required(request, "group_id"),
				required(request, "refund_amount"), requestId);
		return new Answer(json.refunded(result), result.refund().operationId());
	}

	private static Answer answer(Call call, byte[] body) {
		return new Answer(body, call.reference());
	}

	/** Checks the company and the sign, computed over the fields configured for this endpoint. */
	@Override
	protected void authenticate(Call call) {
		Map<String, String> request = json.parseRequest(call.body());
		if (!IssuerSigner.matches(settings.companyId(), request.get("company_id"))) {
			throw new IssuerException(IssuerException.UNKNOWN_COMPANY, "Company not found", "商户不存在");
		}
		List<String> signFields = signFields(call.path());
		for (String field : signFields) {
			required(request, field);
		}
		String expected = IssuerSigner.sign(signFields, request, settings.apiKey());
		if (!IssuerSigner.matches(expected, request.get("sign"))) {
			throw new IssuerException(IssuerException.BAD_SIGN, "Sign verification failed", "签名验证失败");
		}
	}

	private List<String> signFields(String path) {
		if (path.equals(BASE_PATH + settings.refundPath())) {
			return settings.refundSignFields();
		}
		return path.equals(BASE_PATH + settings.queryPath()) ? settings.querySignFields()
				: settings.refundQuerySignFields();
	}

	private static String required(Map<String, String> request, String field) {
		String value = request.get(field);
		if (value == null || (value.isEmpty() && !field.equals("request_id"))) {
			throw new IssuerException(IssuerException.BAD_PARAMETER, field + " is required", field + " 不能为空");
		}
		return value;
	}

	@Override
	protected byte[] errorJson(Call call, ProviderException error) {
		IssuerException issuer = (IssuerException) error;
		return json.error(issuer.numericCode(), issuer.english(), issuer.chinese());
	}

	@Override
	protected byte[] internalErrorJson(Call call, String message) {
		return json.error(500, message, "系统错误");
	}

	@Override
	protected byte[] tooManyRequestsJson(Call call) {
		return json.error(429, "Too many requests", "请求过于频繁");
	}

}
