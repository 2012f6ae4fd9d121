package io.grouprefunds.sandbox.rapyd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.grouprefunds.provider.rapyd.RapydSigner;

import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;

/** A minimal signed Rapyd client over {@link HttpClient}, with knobs to send what a broken client would. */
public final class RapydTestClient {

	static final String REFUND_PATH = "/v1/refunds/group_payments";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final String baseUrl;

	private final SandboxSettings settings;

	public RapydTestClient(SandboxServer server, SandboxSettings settings) {
		this.baseUrl = server.rapydBaseUrl();
		this.settings = settings;
	}

	HttpResponse<String> refund(String body) {
		return refund(body, UUID.randomUUID().toString());
	}

	public HttpResponse<String> refund(String body, String idempotencyKey) {
		return send(signed("POST", REFUND_PATH, body, body, settings.rapydSecretKey(), now())
			.header("idempotency", idempotencyKey)
			.build());
	}

	HttpResponse<String> get(String pathAndQuery) {
		return send(signed("GET", pathAndQuery, "", "", settings.rapydSecretKey(), now()).build());
	}

	/** A request signed over {@code signedBody} with the given secret and timestamp, sending {@code sentBody}. */
	HttpRequest.Builder signed(String method, String pathAndQuery, String signedBody, String sentBody,
			String secretKey, long timestamp) {
		String salt = RapydSigner.newSalt();
		String signature = RapydSigner.sign(method, pathAndQuery, salt, timestamp, settings.rapydAccessKey(),
				secretKey, signedBody);
		HttpRequest.BodyPublisher publisher = sentBody.isEmpty() ? HttpRequest.BodyPublishers.noBody()
				: HttpRequest.BodyPublishers.ofString(sentBody);
		return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
			.method(method, publisher)
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.header("access_key", settings.rapydAccessKey())
			.header("salt", salt)
			.header("timestamp", String.valueOf(timestamp))
			.header("signature", signature);
	}

	HttpResponse<String> send(HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	HttpClient http() {
		return http;
	}

	static long now() {
		return Instant.now().getEpochSecond();
	}

	static JsonNode json(HttpResponse<String> response) {
		return MAPPER.readTree(response.body());
	}

	public static String refundBody(String groupPayment, String amount) {
		return (amount == null) ? "{\"group_payment\":\"" + groupPayment + "\"}"
				: "{\"group_payment\":\"" + groupPayment + "\",\"amount\":" + amount + "}";
	}

}
