package io.grouprefunds.sandbox.rapyd;

import static io.grouprefunds.sandbox.rapyd.RapydTestClient.json;
import static io.grouprefunds.sandbox.rapyd.RapydTestClient.refundBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.stream.IntStream;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.grouprefunds.sandbox.AdminTestClient;
import io.grouprefunds.sandbox.MutableClock;
import io.grouprefunds.sandbox.RefundLifecycle;
import io.grouprefunds.sandbox.RefundPart;
import io.grouprefunds.sandbox.RefundStatus;
import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;
import io.grouprefunds.sandbox.SimulatedRapyd;

/**
 * Rapyd's refund objects after the create call, over real HTTP: Pending parts that settle Completed or Rejected on
 * an injected clock, Error parts in an accepted answer, Retrieve Refund, Complete Refund, the admin calls and the
 * ground truth.
 */
class RapydSandboxLifecycleTest {

	private static final Currency USD = Currency.getInstance("USD");

	/** Payments of 75.00 and 50.00: 71 splits into 42.60 and 28.40. */
	private static final String GROUP = "gp_55b5dc5d53bb5894ee819f9875d11e9f";

	private static final Instant START = Instant.parse("2026-01-05T10:00:00Z");

	private final MutableClock clock = new MutableClock(START);

	private SandboxServer server;

	private SimulatedRapyd rapyd;

	private RapydTestClient client;

	private AdminTestClient admin;

	private void start(RefundLifecycle lifecycle) {
		SandboxSettings settings = SandboxSettings.defaults().withLifecycle(lifecycle).withClock(clock);
		server = SandboxServer.start(settings);
		rapyd = server.rapyd();
		rapyd.addGroupPayment(GROUP, USD, "closed", List.of(new BigDecimal("75.00"), new BigDecimal("50.00")));
		client = new RapydTestClient(server, settings);
		admin = new AdminTestClient(server);
	}

	@AfterEach
	void stop() {
		server.close();
	}

	@Test
	void pendingPartsSettleCompletedByThemselvesAfterTheDelay() {
		// given every refund Pending, settling 20 s later
		start(RefundLifecycle.immediate().withPendingRate(1));

		// when
		JsonNode created = json(client.refund(refundBody(GROUP, "71"), "key-1")).get("data");
		String first = created.at("/payments/0/refunds/0/id").stringValue();
		clock.advance(Duration.ofSeconds(19));
		JsonNode before = json(client.get("/v1/refunds/" + first));
		clock.advance(Duration.ofSeconds(1));
		JsonNode after = json(client.get("/v1/refunds/" + first));
		JsonNode group = json(client.get("/v1/payments/group_payments/" + GROUP)).get("data");

		// then Pending holds the money until it settles, and the settle time is when it was due
		assertThat(created.at("/payments/0/refunds/0/status").stringValue()).isEqualTo("Pending");
		assertThat(created.at("/payments/1/refunds/0/status").stringValue()).isEqualTo("Pending");
		assertThat(created.at("/payments/0/refunded_amount").decimalValue()).isEqualByComparingTo("42.6");
		assertThat(created.get("currency").stringValue()).isEqualTo("USD");
		assertThat(first).matches("refund_[0-9a-f]{32}");
		assertThat(before.at("/status/status").stringValue()).isEqualTo("SUCCESS");
		assertThat(before.at("/data/status").stringValue()).isEqualTo("Pending");
		assertThat(before.at("/data/created_at").longValue()).isEqualTo(START.getEpochSecond());
		assertThat(before.at("/data/payment").stringValue())
			.isEqualTo(created.at("/payments/0/id").stringValue());
		assertThat(after.at("/data/status").stringValue()).isEqualTo("Completed");
		assertThat(after.at("/data/updated_at").longValue()).isEqualTo(START.getEpochSecond() + 20);
		assertThat(after.at("/data/amount").decimalValue()).isEqualByComparingTo("42.6");
		assertThat(group.at("/payments/1/refunds/0/status").stringValue()).isEqualTo("Completed");
		assertThat(rapyd.refundedAmount(GROUP)).isEqualByComparingTo("71.00");
	}

	@Test
	void aRejectedPartGivesItsMoneyBack() {
		// given every refund Pending, every part Rejected
		start(RefundLifecycle.immediate().withPendingRate(1).withRejectRate(1));
		client.refund(refundBody(GROUP, null));
		HttpResponse<String> whileHeld = client.refund(refundBody(GROUP, "1"));

		// when
		clock.advance(Duration.ofSeconds(20));
		JsonNode group = json(client.get("/v1/payments/group_payments/" + GROUP)).get("data");
		HttpResponse<String> again = client.refund(refundBody(GROUP, "125"));

		// then nothing was refundable while the parts were Pending, all of it once they were Rejected
		assertThat(whileHeld.statusCode()).isEqualTo(400);
		assertThat(group.at("/payments/0/refunds/0/status").stringValue()).isEqualTo("Rejected");
		assertThat(group.at("/payments/0/refunds/0/failure_reason").stringValue()).isNotBlank();
		assertThat(group.at("/payments/0/refunded_amount").decimalValue()).isZero();
		assertThat(group.at("/payments/1/refunded_amount").decimalValue()).isZero();
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(json(again).at("/data/payments/0/refunds").size()).isEqualTo(2);
		assertThat(rapyd.refundedAmount(GROUP)).isEqualByComparingTo("125.00");
	}

	@Test
	void errorPartsInAnAcceptedAnswerMoveNoMoney() {
		// given every accepted refund in Error
		start(RefundLifecycle.immediate().withErrorRate(1));

		// when
		HttpResponse<String> response = client.refund(refundBody(GROUP, "71"));
		clock.advance(Duration.ofDays(1));

		// then SUCCESS, with parts in Error and nothing refunded
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode data = json(response).get("data");
		assertThat(json(response).at("/status/status").stringValue()).isEqualTo("SUCCESS");
		assertThat(data.at("/payments/0/refunds/0/status").stringValue()).isEqualTo("Error");
		assertThat(data.at("/payments/1/refunds/0/status").stringValue()).isEqualTo("Error");
		assertThat(data.at("/payments/0/refunds/0/failure_reason").stringValue()).isNotBlank();
		assertThat(data.at("/payments/0/refunded_amount").decimalValue()).isZero();
		assertThat(rapyd.refundedAmount(GROUP)).isZero();
		assertThat(rapyd.refundParts()).extracting(RefundPart::status)
			.containsExactly(RefundStatus.ERROR, RefundStatus.ERROR);
	}

	@Test
	void completeRefundCompletesAPendingPartOnlyOnce() {
		// given parts that never settle by themselves
		start(RefundLifecycle.immediate().withPendingRate(1).withSettleAfter(Duration.ZERO));
		JsonNode created = json(client.refund(refundBody(GROUP, "71"))).get("data");
		String first = created.at("/payments/0/refunds/0/id").stringValue();
		String second = created.at("/payments/1/refunds/0/id").stringValue();
		String token = "{\"token\":\"" + first + "\"}";

		// when
		HttpResponse<String> completed = client.send(client
			.signed("POST", "/v1/refunds/complete", token, token, "rsk_SANDBOX_SECRET_KEY", RapydTestClient.now())
			.build());
		HttpResponse<String> twice = client.send(client
			.signed("POST", "/v1/refunds/complete", token, token, "rsk_SANDBOX_SECRET_KEY", RapydTestClient.now())
			.build());
		clock.advance(Duration.ofDays(365));

		// then
		assertThat(completed.statusCode()).isEqualTo(200);
		assertThat(json(completed).at("/data/id").stringValue()).isEqualTo(first);
		assertThat(json(completed).at("/data/status").stringValue()).isEqualTo("Completed");
		assertThat(twice.statusCode()).isEqualTo(400);
		assertThat(json(twice).at("/status/error_code").stringValue()).isEqualTo("ERROR_COMPLETE_REFUND");
		assertThat(rapyd.refundPart(second)).get().extracting(RefundPart::status).isEqualTo(RefundStatus.PENDING);
	}

	@Test
	void anUnknownRefundIsNotFoundAndRetrievingOneMustBeSigned() {
		// given
		start(RefundLifecycle.immediate());
		String id = json(client.refund(refundBody(GROUP, "1"))).at("/data/payments/1/refunds/0/id").stringValue();

		// when
		HttpResponse<String> unknown = client.get("/v1/refunds/refund_00000000000000000000000000000000");
		HttpResponse<String> unsigned = client.send(client
			.signed("GET", "/v1/refunds/" + id, "", "", "not-the-secret", RapydTestClient.now())
			.build());

		// then
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(json(unknown).at("/status/status").stringValue()).isEqualTo("ERROR");
		assertThat(json(unknown).at("/status/error_code").stringValue()).isEqualTo("ERROR_GET_REFUND");
		assertThat(unsigned.statusCode()).isEqualTo(401);
	}

	@Test
	void aPendingPartMayBeRejectedByHandAndAGroupRefundMayEndMixed() {
		// given parts that never settle by themselves, all planned Completed
		start(RefundLifecycle.immediate().withPendingRate(1).withSettleAfter(Duration.ZERO));
		client.refund(refundBody(GROUP, "71"), "key-mixed");
		List<RefundPart> parts = rapyd.refundParts();

		// when one is rejected by hand and the rest settled as planned
		HttpResponse<String> rejected = admin.post("/sandbox/refunds/" + parts.get(0).id() + "/reject");
		HttpResponse<String> again = admin.post("/sandbox/refunds/" + parts.get(0).id() + "/complete");
		HttpResponse<String> unknown = admin.post("/sandbox/refunds/refund_nope/complete");
		HttpResponse<String> settled = admin.post("/sandbox/refunds/settle-all");
		HttpResponse<String> truth = admin.get("/sandbox/refunds?provider=rapyd");

		// then
		assertThat(rejected.statusCode()).isEqualTo(200);
		assertThat(AdminTestClient.json(rejected).get("status").stringValue()).isEqualTo("Rejected");
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(AdminTestClient.json(settled).get("settled").intValue()).isEqualTo(1);
		JsonNode list = AdminTestClient.json(truth);
		assertThat(list.size()).isEqualTo(2);
		assertThat(list.get(0).get("status").stringValue()).isEqualTo("Rejected");
		assertThat(list.get(1).get("status").stringValue()).isEqualTo("Completed");
		assertThat(list.get(1).get("amount").decimalValue()).isEqualByComparingTo("28.40");
		assertThat(list.get(1).get("idempotency_key").stringValue()).isEqualTo("key-mixed");
		assertThat(rapyd.refundedAmount(GROUP)).isEqualByComparingTo("28.40");
	}

	@Test
	void theSameSeedSettlesTheSameWay() {
		// given
		RefundLifecycle lifecycle = RefundLifecycle.immediate().withPendingRate(0.5).withRejectRate(0.5)
			.withErrorRate(0.2).withSeed(5L);

		// when
		List<RefundStatus> first = settledStatuses(lifecycle);
		List<RefundStatus> second = settledStatuses(lifecycle);

		// then
		assertThat(first).isEqualTo(second).contains(RefundStatus.COMPLETED, RefundStatus.REJECTED,
				RefundStatus.ERROR);
	}

	private List<RefundStatus> settledStatuses(RefundLifecycle lifecycle) {
		if (server != null) {
			server.close();
		}
		start(lifecycle);
		rapyd.addGeneratedGroupPayments(30);
		IntStream.rangeClosed(1, 30)
			.forEach((i) -> client.refund(refundBody(String.format("gp_%032x", i), "10")));
		server.settleAll();
		return rapyd.refundParts().stream().map(RefundPart::status).toList();
	}

}
