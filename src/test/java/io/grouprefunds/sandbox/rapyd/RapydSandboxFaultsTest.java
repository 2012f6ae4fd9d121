package io.grouprefunds.sandbox.rapyd;

import static io.grouprefunds.sandbox.rapyd.RapydTestClient.REFUND_PATH;
import static io.grouprefunds.sandbox.rapyd.RapydTestClient.json;
import static io.grouprefunds.sandbox.rapyd.RapydTestClient.now;
import static io.grouprefunds.sandbox.rapyd.RapydTestClient.refundBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;
import io.grouprefunds.sandbox.SimulatedRapyd;
import io.grouprefunds.sandbox.faults.FaultKind;
import io.grouprefunds.sandbox.faults.SandboxFaults;

/** Each injected fault, seen by a plain HTTP client, against what the sandbox actually applied. */
class RapydSandboxFaultsTest {

	private static final String GROUP = "gp_8932172b9ae44d0caa04d5d419b43739";

	private final SandboxSettings settings = SandboxSettings.defaults();

	private SandboxServer server;

	private SimulatedRapyd rapyd;

	private RapydTestClient client;

	@BeforeEach
	void start() {
		server = SandboxServer.start(settings);
		rapyd = server.rapyd();
		rapyd.addGroupPayment(GROUP, Currency.getInstance("USD"), "closed",
				List.of(new BigDecimal("750.00"), new BigDecimal("500.00")));
		client = new RapydTestClient(server, settings);
	}

	@AfterEach
	void stop() {
		server.close();
	}

	@Test
	void anErrorBeforeApplyingAppliesNothing() {
		// given
		rapyd.setFaults(SandboxFaults.builder().errorBeforeApply(1).build());

		// when
		HttpResponse<String> response = client.refund(refundBody(GROUP, "10"));

		// then
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(rapyd.appliedRefunds()).isEmpty();
		assertThat(rapyd.faultCounts()).containsEntry(FaultKind.ERROR_BEFORE_APPLY, 1L);
	}

	@Test
	void anErrorAfterApplyingHidesARefundThatWasApplied() {
		// given
		rapyd.setFaults(SandboxFaults.builder().errorAfterApply(1).seed(1).build());

		// when
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			statuses.add(client.refund(refundBody(GROUP, "10")).statusCode());
		}

		// then every answer is an error, and every refund was applied
		assertThat(statuses).allMatch((status) -> status == 500 || status == 502).contains(500, 502);
		assertThat(rapyd.appliedRefunds()).hasSize(6);
		assertThat(rapyd.refundedAmount(GROUP)).isEqualByComparingTo("60");
		assertThat(rapyd.faultCounts()).containsEntry(FaultKind.ERROR_AFTER_APPLY, 6L);
	}

	@Test
	void aDropAfterApplyingGivesTheClientAnIOExceptionAndNoResponse() {
		// given
		rapyd.setFaults(SandboxFaults.builder().dropAfterApply(1).build());
		String body = refundBody(GROUP, "10");
		HttpRequest request = client.signed("POST", REFUND_PATH, body, body, settings.rapydSecretKey(), now()).build();

		// when / then
		assertThatThrownBy(() -> client.http().send(request, HttpResponse.BodyHandlers.ofString()))
			.isInstanceOf(IOException.class);
		assertThat(rapyd.appliedRefunds()).hasSize(1);
		assertThat(rapyd.faultCounts()).containsEntry(FaultKind.DROP_AFTER_APPLY, 1L);
	}

	@Test
	void aSlowAnswerAfterApplyingOutlastsTheClientTimeout() {
		// given
		rapyd.setFaults(SandboxFaults.builder().slowAfterApply(1, 2_000).build());
		String body = refundBody(GROUP, "10");
		HttpRequest request = client.signed("POST", REFUND_PATH, body, body, settings.rapydSecretKey(), now())
			.timeout(Duration.ofMillis(300))
			.build();

		// when / then
		assertThatThrownBy(() -> client.http().send(request, HttpResponse.BodyHandlers.ofString()))
			.isInstanceOf(HttpTimeoutException.class);
		assertThat(rapyd.appliedRefunds()).hasSize(1);
		assertThat(rapyd.faultCounts()).containsEntry(FaultKind.SLOW_AFTER_APPLY, 1L);
	}

	@Test
	void aTooManyRequestsAnswerInRapydsFormatCarriesRetryAfter() {
		// given
		rapyd.setFaults(SandboxFaults.builder().tooManyRequests(1).retryAfterSeconds(7).build());

		// when
		HttpResponse<String> response = client.refund(refundBody(GROUP, "10"));

		// then
		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
		assertThat(json(response).at("/status/error_code").stringValue()).isEqualTo("TOO_MANY_REQUESTS");
		assertThat(rapyd.appliedRefunds()).isEmpty();
		assertThat(rapyd.tooManyRequestsCount()).isEqualTo(1);
	}

	@Test
	void aTooManyRequestsAnswerLikeAWafIsHtmlWithoutRetryAfter() {
		// given
		rapyd.setFaults(SandboxFaults.builder().tooManyRequests(1).retryAfterSeconds(null).htmlTooManyRequests(true)
			.build());

		// when
		HttpResponse<String> response = client.refund(refundBody(GROUP, "10"));

		// then
		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("Retry-After")).isEmpty();
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/html"));
		assertThat(response.body()).startsWith("<html>").contains("429 Too Many Requests");
		assertThat(rapyd.appliedRefunds()).isEmpty();
		assertThat(rapyd.faultCounts()).containsEntry(FaultKind.TOO_MANY_REQUESTS, 1L);
	}

	@Test
	void requestsBeyondTheRateLimitAreAnsweredTooManyRequests() {
		// given
		rapyd.setFaults(SandboxFaults.builder().rateLimitPerSecond(3).build());

		// when five requests arrive in quick succession
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			statuses.add(client.refund(refundBody(GROUP, "1")).statusCode());
		}

		// then
		assertThat(statuses).containsExactly(200, 200, 200, 429, 429);
		assertThat(rapyd.appliedRefunds()).hasSize(3);
		assertThat(rapyd.requestCount()).isEqualTo(5);
		assertThat(rapyd.tooManyRequestsCount()).isEqualTo(2);
		assertThat(rapyd.faultCounts()).containsEntry(FaultKind.RATE_LIMITED, 2L);
	}

	@Test
	void anOutageAnswersEverything503UntilSwitchedOff() {
		// given
		rapyd.setFaults(SandboxFaults.none().withOutage(true));

		// when
		HttpResponse<String> refund = client.refund(refundBody(GROUP, "10"));
		HttpResponse<String> query = client.get("/v1/payments/group_payments/" + GROUP);
		rapyd.setFaults(rapyd.faults().withOutage(false));
		HttpResponse<String> afterwards = client.refund(refundBody(GROUP, "10"));

		// then
		assertThat(refund.statusCode()).isEqualTo(503);
		assertThat(query.statusCode()).isEqualTo(503);
		assertThat(afterwards.statusCode()).isEqualTo(200);
		assertThat(rapyd.appliedRefunds()).hasSize(1);
		assertThat(rapyd.faultCounts()).containsEntry(FaultKind.OUTAGE, 2L);
	}

	@Test
	void anOutageWindowEndsOnItsOwn() throws InterruptedException {
		// given an outage for the first 300 ms
		rapyd.setFaults(SandboxFaults.builder().outageWindow(0, 300).build());

		// when
		HttpResponse<String> during = client.refund(refundBody(GROUP, "10"));
		Thread.sleep(400);
		HttpResponse<String> after = client.refund(refundBody(GROUP, "10"));

		// then
		assertThat(during.statusCode()).isEqualTo(503);
		assertThat(after.statusCode()).isEqualTo(200);
		assertThat(rapyd.appliedRefunds()).hasSize(1);
	}

	@Test
	void refundFaultsDoNotTouchQueries() {
		// given
		rapyd.setFaults(SandboxFaults.builder().errorBeforeApply(1).build());

		// when
		HttpResponse<String> query = client.get("/v1/payments/group_payments/" + GROUP);

		// then
		assertThat(query.statusCode()).isEqualTo(200);
		assertThat(rapyd.queryCount()).isEqualTo(1);
	}

	@Test
	void latencyDelaysEveryAnswerWithoutSerializingRequests() throws Exception {
		// given 300 ms per request and ten concurrent requests
		rapyd.setFaults(SandboxFaults.builder().latency(300, 0).build());
		ExecutorService pool = Executors.newFixedThreadPool(10);
		List<Callable<Integer>> requests = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			requests.add(() -> client.refund(refundBody(GROUP, "1")).statusCode());
		}

		// when
		long started = System.nanoTime();
		List<Integer> statuses = new ArrayList<>();
		try {
			for (Future<Integer> status : pool.invokeAll(requests)) {
				statuses.add(status.get());
			}
		}
		finally {
			pool.shutdownNow();
		}
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

		// then all waited, in parallel rather than one after another
		assertThat(statuses).containsOnly(200);
		assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofMillis(1_500));
		assertThat(rapyd.faultCounts()).containsEntry(FaultKind.LATENCY, 10L);
	}

}
