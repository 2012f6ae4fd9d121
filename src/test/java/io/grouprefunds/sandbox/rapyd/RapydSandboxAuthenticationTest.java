package io.grouprefunds.sandbox.rapyd;

import static io.grouprefunds.sandbox.rapyd.RapydTestClient.REFUND_PATH;
import static io.grouprefunds.sandbox.rapyd.RapydTestClient.json;
import static io.grouprefunds.sandbox.rapyd.RapydTestClient.now;
import static io.grouprefunds.sandbox.rapyd.RapydTestClient.refundBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.grouprefunds.provider.rapyd.RapydSigner;

import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;

/** Rapyd's request signatures, checked by the sandbox exactly as documented. */
class RapydSandboxAuthenticationTest {

	private static final String GROUP = "gp_8932172b9ae44d0caa04d5d419b43739";

	private final SandboxSettings settings = SandboxSettings.defaults();

	private SandboxServer server;

	private RapydTestClient client;

	@BeforeEach
	void start() {
		server = SandboxServer.start(settings);
		server.rapyd().addGroupPayment(GROUP, Currency.getInstance("USD"), "closed",
				List.of(new BigDecimal("75.00"), new BigDecimal("50.00")));
		client = new RapydTestClient(server, settings);
	}

	@AfterEach
	void stop() {
		server.close();
	}

	@Test
	void aCorrectlySignedRequestIsAccepted() {
		// given a refund signed with the sandbox's keys
		String body = refundBody(GROUP, "71");

		// when
		HttpResponse<String> response = client.refund(body);

		// then
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json(response).at("/status/status").stringValue()).isEqualTo("SUCCESS");
		assertThat(server.rapyd().appliedRefunds()).hasSize(1);
	}

	@Test
	void aWrongSecretIsRefusedAndTheSecretIsNeverEchoed() {
		// given
		String body = refundBody(GROUP, "71");
		HttpRequest request = client.signed("POST", REFUND_PATH, body, body, "rsk_WRONG", now()).build();

		// when
		HttpResponse<String> response = client.send(request);

		// then
		assertUnauthenticated(response);
		assertThat(response.body()).doesNotContain(settings.rapydSecretKey());
		assertThat(response.headers().map().toString()).doesNotContain(settings.rapydSecretKey());
	}

	@Test
	void aWrongAccessKeyIsRefused() {
		// given a request signed correctly but for another access key
		String body = refundBody(GROUP, "71");
		long timestamp = now();
		String salt = RapydSigner.newSalt();
		HttpRequest request = unsignedRequest(body, Map.of("access_key", "rak_OTHER", "salt", salt, "timestamp",
				String.valueOf(timestamp), "signature", RapydSigner.sign("post", REFUND_PATH, salt, timestamp,
						"rak_OTHER", settings.rapydSecretKey(), body)));

		// when
		HttpResponse<String> response = client.send(request);

		// then
		assertUnauthenticated(response);
	}

	@ParameterizedTest
	@ValueSource(longs = { -120, 120 })
	void aTimestampMoreThanSixtySecondsAwayIsRefused(long offsetSeconds) {
		// given
		String body = refundBody(GROUP, "71");
		HttpRequest request = client
			.signed("POST", REFUND_PATH, body, body, settings.rapydSecretKey(), now() + offsetSeconds)
			.build();

		// when
		HttpResponse<String> response = client.send(request);

		// then
		assertUnauthenticated(response);
	}

	@ParameterizedTest
	@ValueSource(strings = { "access_key", "salt", "timestamp", "signature" })
	void aMissingAuthenticationHeaderIsABadRequest(String missing) {
		// given every header but one
		String body = refundBody(GROUP, "71");
		long timestamp = now();
		String salt = RapydSigner.newSalt();
		Map<String, String> headers = new HashMap<>(Map.of("access_key", settings.rapydAccessKey(), "salt",
				salt, "timestamp", String.valueOf(timestamp), "signature", RapydSigner.sign("post", REFUND_PATH, salt,
						timestamp, settings.rapydAccessKey(), settings.rapydSecretKey(), body)));
		headers.remove(missing);

		// when
		HttpResponse<String> response = client.send(unsignedRequest(body, headers));

		// then
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(json(response).at("/status/error_code").stringValue()).isEqualTo("MISSING_AUTHENTICATION_HEADERS");
		assertThat(server.rapyd().appliedRefunds()).isEmpty();
	}

	@Test
	void aBodyChangedAfterSigningIsRefused() {
		// given a signature over 71 and a body asking for 7.1
		HttpRequest request = client.signed("POST", REFUND_PATH, refundBody(GROUP, "71"), refundBody(GROUP, "7.1"),
				settings.rapydSecretKey(), now()).build();

		// when
		HttpResponse<String> response = client.send(request);

		// then
		assertUnauthenticated(response);
	}

	@Test
	void aTrailingZeroSentButNotSignedIsRefused() {
		// given the compact amount signed and a padded one sent: the body signed must be the body sent
		HttpRequest request = client.signed("POST", REFUND_PATH, refundBody(GROUP, "42.6"),
				refundBody(GROUP, "42.60"), settings.rapydSecretKey(), now()).build();

		// when
		HttpResponse<String> response = client.send(request);

		// then
		assertUnauthenticated(response);
	}

	@Test
	void theQueryStringIsPartOfTheSignedPath() {
		// given the same GET signed with and without its query
		String path = "/v1/payments/group_payments/" + GROUP;
		HttpRequest withQuery = client.signed("GET", path + "?expand=payments", "", "", settings.rapydSecretKey(),
				now()).build();
		HttpRequest otherQuery = HttpRequest
			.newBuilder(withQuery, (name, value) -> true)
			.uri(URI.create(server.rapydBaseUrl() + path + "?expand=refunds"))
			.build();

		// when
		HttpResponse<String> signedWithQuery = client.send(withQuery);
		HttpResponse<String> signedForAnotherQuery = client.send(otherQuery);

		// then
		assertThat(signedWithQuery.statusCode()).isEqualTo(200);
		assertUnauthenticated(signedForAnotherQuery);
	}

	private HttpRequest unsignedRequest(String body, Map<String, String> headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.rapydBaseUrl() + REFUND_PATH))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.header("Content-Type", "application/json");
		headers.forEach(builder::header);
		return builder.build();
	}

	private void assertUnauthenticated(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(json(response).at("/status/error_code").stringValue()).isEqualTo("UNAUTHENTICATED_API_CALL");
		assertThat(json(response).at("/status/response_code").stringValue()).isEqualTo("UNAUTHENTICATED_API_CALL");
		assertThat(json(response).at("/status/operation_id").stringValue()).isNotBlank();
		assertThat(server.rapyd().appliedRefunds()).isEmpty();
	}

}
