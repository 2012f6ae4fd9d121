package io.grouprefunds.sandbox.rapyd;

import static io.grouprefunds.sandbox.rapyd.RapydTestClient.json;
import static io.grouprefunds.sandbox.rapyd.RapydTestClient.refundBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.grouprefunds.sandbox.AppliedRefund;
import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;
import io.grouprefunds.sandbox.SimulatedRapyd;

/** Rapyd's group refund rules and balances, over real HTTP. */
class RapydSandboxRefundTest {

	private static final Currency USD = Currency.getInstance("USD");

	private static final String SEED_GROUP = "gp_55b5dc5d53bb5894ee819f9875d11e9f";

	private static final String ROUND_GROUP = "gp_00000000000000000000000000000100";

	private static final String ACTIVE_GROUP = "gp_000000000000000000000000000000ac";

	private static final String YEN_GROUP = "gp_000000000000000000000000000000e1";

	private final SandboxSettings settings = SandboxSettings.defaults();

	private SandboxServer server;

	private SimulatedRapyd rapyd;

	private RapydTestClient client;

	@BeforeEach
	void start() {
		server = SandboxServer.start(settings);
		rapyd = server.rapyd();
		rapyd.addGroupPayment(SEED_GROUP, USD, "closed", amounts("75.00", "50.00"));
		rapyd.addGroupPayment(ROUND_GROUP, USD, "closed", amounts("60.00", "40.00"));
		rapyd.addGroupPayment(ACTIVE_GROUP, USD, "active", amounts("10.00", "20.00"));
		rapyd.addGroupPayment(YEN_GROUP, Currency.getInstance("JPY"), "closed", amounts("1000", "1000", "1000"));
		client = new RapydTestClient(server, settings);
	}

	@AfterEach
	void stop() {
		server.close();
	}

	@Test
	void aRefundWithoutAmountRefundsTheWholeGroupPayment() {
		// when
		HttpResponse<String> response = client.refund(refundBody(SEED_GROUP, null));

		// then
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode data = json(response).get("data");
		assertThat(data.at("/payments/0/refunded_amount").decimalValue()).isEqualByComparingTo("75");
		assertThat(data.at("/payments/1/refunded_amount").decimalValue()).isEqualByComparingTo("50");
		assertThat(data.at("/payments/0/refunded").booleanValue()).isTrue();
		assertThat(data.at("/payments/0/refunds/0/status").stringValue()).isEqualTo("Completed");
		assertThat(rapyd.refundedAmount(SEED_GROUP)).isEqualByComparingTo("125");
		assertThat(rapyd.appliedRefunds()).singleElement()
			.satisfies((refund) -> assertThat(refund.amount()).isEqualByComparingTo("125"));
	}

	@Test
	void aPartialRefundIsSplitBySharesExactlyAndTheQueryShowsIt() {
		// when 71 of 125 over payments of 75 and 50, as in Rapyd's example
		HttpResponse<String> response = client.refund(refundBody(SEED_GROUP, "71"), "key-71");
		HttpResponse<String> query = client.get("/v1/payments/group_payments/" + SEED_GROUP);

		// then
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"refunded_amount\":42.6", "\"refunded_amount\":28.4");
		assertThat(query.statusCode()).isEqualTo(200);
		JsonNode data = json(query).get("data");
		assertThat(data.get("id").stringValue()).isEqualTo(SEED_GROUP);
		assertThat(data.get("status").stringValue()).isEqualTo("closed");
		assertThat(data.at("/payments/0/status").stringValue()).isEqualTo("CLO");
		assertThat(data.at("/payments/0/refunded_amount").decimalValue()).isEqualByComparingTo("42.6");
		assertThat(data.at("/payments/1/refunded_amount").decimalValue()).isEqualByComparingTo("28.4");
		assertThat(data.at("/payments/1/group_payment").stringValue()).isEqualTo(SEED_GROUP);
		AppliedRefund applied = rapyd.appliedRefunds().get(0);
		assertThat(applied.amount()).isEqualByComparingTo("71");
		assertThat(applied.idempotencyKey()).isEqualTo("key-71");
		assertThat(applied.operationId()).isEqualTo(json(response).at("/status/operation_id").stringValue());
	}

	@Test
	void amountsAreWrittenAsCompactPlainNumbers() {
		// when a group of 60.00 and 40.00 is refunded in full
		HttpResponse<String> response = client.refund(refundBody(ROUND_GROUP, null));

		// then 100, 60 and 40: no trailing zeros and no exponent
		assertThat(response.body()).contains("\"amount\":100,", "\"refunded_amount\":60,", "\"refunded_amount\":40,")
			.doesNotContain("E+", ".00");
	}

	@Test
	void aRefundAboveWhatIsLeftIsRefusedAndAppliesNothing() {
		// given 71 of 125 already refunded
		client.refund(refundBody(SEED_GROUP, "71"));

		// when 60 more is asked for, with 54 left
		HttpResponse<String> response = client.refund(refundBody(SEED_GROUP, "60"));

		// then
		assertRefused(response, "ERROR_CREATE_REFUND");
		assertThat(json(response).at("/status/message").stringValue()).contains("exceeds the refundable amount 54");
		assertThat(rapyd.refundedAmount(SEED_GROUP)).isEqualByComparingTo("71");
		assertThat(rapyd.appliedRefunds()).hasSize(1);
	}

	@Test
	void aFullyRefundedGroupPaymentIsRefused() {
		// given
		client.refund(refundBody(SEED_GROUP, null));

		// when
		HttpResponse<String> response = client.refund(refundBody(SEED_GROUP, "1"));

		// then
		assertRefused(response, "ERROR_CREATE_REFUND_EWALLET_ALREADY_FULLY_REFUNDED");
		assertThat(rapyd.appliedRefunds()).hasSize(1);
	}

	@Test
	void anActiveGroupPaymentIsRefused() {
		// when
		HttpResponse<String> response = client.refund(refundBody(ACTIVE_GROUP, "5"));

		// then
		assertRefused(response, "ERROR_CREATE_REFUND");
		assertThat(json(response).at("/status/message").stringValue()).isEqualTo("group payment is not closed");
		assertThat(rapyd.appliedRefunds()).isEmpty();
	}

	@Test
	void anUnknownGroupPaymentIsRefused() {
		// when
		HttpResponse<String> response = client.refund(refundBody("gp_ffffffffffffffffffffffffffffffff", "5"));
		HttpResponse<String> query = client.get("/v1/payments/group_payments/gp_ffffffffffffffffffffffffffffffff");

		// then
		assertRefused(response, "ERROR_ADDING_REFUND");
		assertThat(json(response).at("/status/message").stringValue()).isEqualTo("group payment not found");
		assertThat(query.statusCode()).isEqualTo(404);
	}

	@ParameterizedTest
	@CsvSource({ "0, ERROR_CREATE_REFUND", "-5, ERROR_CREATE_REFUND", "10.005, ERROR_CREATE_REFUND",
			"'\"7\"', ERROR_CREATE_REFUND", "null, ERROR_CREATE_REFUND" })
	void anInvalidAmountIsRefused(String amount, String errorCode) {
		// when
		HttpResponse<String> response = client.refund(refundBody(SEED_GROUP, amount));

		// then
		assertRefused(response, errorCode);
		assertThat(rapyd.appliedRefunds()).isEmpty();
	}

	@Test
	void anAmountWithDecimalsIsRefusedForACurrencyWithout() {
		// when
		HttpResponse<String> response = client.refund(refundBody(YEN_GROUP, "100.5"));

		// then
		assertRefused(response, "ERROR_CREATE_REFUND");
		assertThat(json(response).at("/status/message").stringValue()).contains("JPY allows (0)");
	}

	@Test
	void aYenRefundIsSplitAtZeroDecimalsAndSumsExactly() {
		// when 1000 over three payments of 1000: 333 each and the remainder on the last
		HttpResponse<String> response = client.refund(refundBody(YEN_GROUP, "1000"));

		// then
		JsonNode payments = json(response).at("/data/payments");
		assertThat(payments.get(0).get("refunded_amount").decimalValue()).isEqualByComparingTo("333");
		assertThat(payments.get(1).get("refunded_amount").decimalValue()).isEqualByComparingTo("333");
		assertThat(payments.get(2).get("refunded_amount").decimalValue()).isEqualByComparingTo("334");
		assertThat(rapyd.refundedAmount(YEN_GROUP)).isEqualByComparingTo("1000");
	}

	@Test
	void malformedJsonIsABadRequest() {
		// when
		HttpResponse<String> response = client.refund("{\"group_payment\":");

		// then
		assertRefused(response, "INVALID_REQUEST_BODY");
	}

	@Test
	void aRepeatedRequestWithTheSameIdempotencyKeyIsAppliedAgain() {
		// given a default Rapyd account, which checks idempotency only on Create Payment
		String body = refundBody(SEED_GROUP, "10");

		// when the same request is sent twice with the same key
		HttpResponse<String> first = client.refund(body, "same-key");
		HttpResponse<String> second = client.refund(body, "same-key");

		// then it is a second refund
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(second.statusCode()).isEqualTo(200);
		assertThat(rapyd.appliedRefunds()).hasSize(2)
			.allSatisfy((refund) -> assertThat(refund.idempotencyKey()).isEqualTo("same-key"));
		assertThat(rapyd.refundedAmount(SEED_GROUP)).isEqualByComparingTo("20");
	}

	@Test
	void concurrentPartialRefundsNeverExceedTheGroupTotal() throws Exception {
		// given 40 concurrent requests of 10 against a group of 125
		ExecutorService pool = Executors.newFixedThreadPool(40);
		List<Callable<Integer>> requests = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			requests.add(() -> client.refund(refundBody(SEED_GROUP, "10")).statusCode());
		}

		// when
		List<Integer> statuses = new ArrayList<>();
		try {
			for (Future<Integer> status : pool.invokeAll(requests)) {
				statuses.add(status.get());
			}
		}
		finally {
			pool.shutdownNow();
		}

		// then exactly 12 fit, and what was applied matches the balance
		assertThat(statuses).filteredOn((status) -> status == 200).hasSize(12);
		assertThat(statuses).filteredOn((status) -> status == 400).hasSize(28);
		assertThat(rapyd.refundedAmount(SEED_GROUP)).isEqualByComparingTo("120");
		assertThat(rapyd.appliedRefunds()).hasSize(12)
			.extracting(AppliedRefund::sequence)
			.containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
		assertThat(rapyd.requestCount()).isEqualTo(40);
	}

	@Test
	void theSandboxEndpointsListWhatWasAppliedAndEveryRefundPart() {
		// given
		client.refund(refundBody(SEED_GROUP, "71"), "key-a");
		client.refund(refundBody(ROUND_GROUP, null), "key-b");

		// when
		HttpResponse<String> applied = client.send(HttpRequest
			.newBuilder(URI.create(server.rapydBaseUrl() + "/sandbox/applied"))
			.build());
		HttpResponse<String> parts = client.send(HttpRequest
			.newBuilder(URI.create(server.rapydBaseUrl() + "/sandbox/refunds"))
			.build());
		HttpResponse<String> health = client.send(HttpRequest
			.newBuilder(URI.create(server.rapydBaseUrl() + "/sandbox/health"))
			.build());

		// then the two requests applied
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(applied.statusCode()).isEqualTo(200);
		JsonNode list = json(applied);
		assertThat(list.size()).isEqualTo(2);
		assertThat(list.get(0).get("sequence").longValue()).isEqualTo(1);
		assertThat(list.get(0).get("group_payment").stringValue()).isEqualTo(SEED_GROUP);
		assertThat(list.get(0).get("idempotency_key").stringValue()).isEqualTo("key-a");
		assertThat(list.get(1).get("currency").stringValue()).isEqualTo("USD");
		assertThat(applied.body()).contains("\"amount\":71,", "\"amount\":100,");
		// and their four parts, one per payment, to the cent
		assertThat(parts.statusCode()).isEqualTo(200);
		JsonNode truth = json(parts);
		assertThat(truth.size()).isEqualTo(4);
		assertThat(truth.get(0).get("provider").stringValue()).isEqualTo("rapyd");
		assertThat(truth.get(0).get("group").stringValue()).isEqualTo(SEED_GROUP);
		assertThat(truth.get(0).get("status").stringValue()).isEqualTo("Completed");
		assertThat(truth.get(0).get("idempotency_key").stringValue()).isEqualTo("key-a");
		assertThat(truth.get(1).get("amount").decimalValue()).isEqualByComparingTo("28.40");
		assertThat(truth.get(3).get("idempotency_key").stringValue()).isEqualTo("key-b");
		assertThat(parts.body()).contains("\"amount\":42.60,", "\"amount\":40.00,");
	}

	private static void assertRefused(HttpResponse<String> response, String errorCode) {
		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode status = json(response).get("status");
		assertThat(status.get("status").stringValue()).isEqualTo("ERROR");
		assertThat(status.get("error_code").stringValue()).isEqualTo(errorCode);
		assertThat(status.get("response_code").stringValue()).isEqualTo(errorCode);
		assertThat(json(response).has("data")).isFalse();
	}

	private static List<BigDecimal> amounts(String... amounts) {
		return Arrays.stream(amounts).map(BigDecimal::new).toList();
	}

}
