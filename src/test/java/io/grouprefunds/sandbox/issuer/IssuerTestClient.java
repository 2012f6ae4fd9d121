package io.grouprefunds.sandbox.issuer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.grouprefunds.provider.issuer.IssuerSigner;

import io.grouprefunds.sandbox.IssuerSandboxSettings;
import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;

/** A minimal card issuer client: every body a flat object of strings, signed over the configured fields. */
public final class IssuerTestClient {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final String baseUrl;

	private final IssuerSandboxSettings settings;

	public IssuerTestClient(SandboxServer server, SandboxSettings settings) {
		this.baseUrl = server.issuerBaseUrl();
		this.settings = settings.issuer();
	}

	public JsonNode refund(String requestId, String group, String amount) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("request_id", requestId);
		fields.put("company_id", settings.companyId());
		fields.put("group_id", group);
		fields.put("refund_amount", amount);
		return post(settings.refundPath(), fields, settings.refundSignFields(), settings.apiKey());
	}

	JsonNode group(String group) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("company_id", settings.companyId());
		fields.put("group_id", group);
		return post(settings.queryPath(), fields, settings.querySignFields(), settings.apiKey());
	}

	JsonNode queryRefund(String reqNo) {
		return queryRefund(settings.companyId(), reqNo, settings.apiKey());
	}

	JsonNode queryRefund(String companyId, String reqNo, String apiKey) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("company_id", companyId);
		fields.put("req_no", reqNo);
		return post(settings.refundQueryPath(), fields, settings.refundQuerySignFields(), apiKey);
	}

	JsonNode post(String path, Map<String, String> fields, List<String> signFields, String apiKey) {
		Map<String, String> body = new LinkedHashMap<>(fields);
		body.put("sign", IssuerSigner.sign(signFields, fields, apiKey));
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
			.POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body)))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.build();
		try {
			return MAPPER.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
