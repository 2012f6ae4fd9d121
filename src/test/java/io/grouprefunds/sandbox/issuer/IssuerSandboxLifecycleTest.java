package io.grouprefunds.sandbox.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.grouprefunds.sandbox.AdminTestClient;
import io.grouprefunds.sandbox.MutableClock;
import io.grouprefunds.sandbox.RefundLifecycle;
import io.grouprefunds.sandbox.RefundStatus;
import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;
import io.grouprefunds.sandbox.SimulatedIssuer;

/**
 * The card issuer's refunds after the create call, over real HTTP: status "0" settling to "1" or "2" on an injected
 * clock, "2" at once for an Error, the inferred Query refund endpoint, and the balance given back.
 */
class IssuerSandboxLifecycleTest {

	private static final String GROUP = "5901";

	private static final Instant START = Instant.parse("2026-01-05T10:00:00Z");

	private final MutableClock clock = new MutableClock(START);

	private SandboxServer server;

	private SimulatedIssuer issuer;

	private IssuerTestClient client;

	private void start(RefundLifecycle lifecycle) {
		SandboxSettings settings = SandboxSettings.defaults().withLifecycle(lifecycle).withClock(clock);
		server = SandboxServer.start(settings);
		issuer = server.issuer();
		issuer.addGroup("4101", GROUP, Currency.getInstance("USD"), new BigDecimal("100.00"));
		issuer.addGroup("4202", "6001", Currency.getInstance("USD"), new BigDecimal("100.00"));
		client = new IssuerTestClient(server, settings);
	}

	@AfterEach
	void stop() {
		server.close();
	}

	@Test
	void aPendingRefundIsProcessingUntilItSettlesSucceeded() {
		// given
		start(RefundLifecycle.immediate().withPendingRate(1).withSettleAfter(Duration.ofSeconds(5)));

		// when
		JsonNode created = client.refund("req-1", GROUP, "11.36");
		String reqNo = created.at("/data/reqNo").asString();
		JsonNode before = client.queryRefund(reqNo);
		clock.advance(Duration.ofSeconds(5));
		JsonNode after = client.queryRefund(reqNo);

		// then
		assertThat(created.path("code").intValue()).isZero();
		assertThat(created.at("/data/status").stringValue()).isEqualTo("0");
		assertThat(before.path("code").intValue()).isZero();
		assertThat(before.at("/data/status").stringValue()).isEqualTo("0");
		assertThat(before.at("/data/groupId").isNumber()).isTrue();
		assertThat(before.at("/data/refundAmount").decimalValue()).isEqualByComparingTo("11.36");
		assertThat(before.at("/data/updatedAt").longValue()).isEqualTo(START.getEpochSecond());
		assertThat(after.at("/data/status").stringValue()).isEqualTo("1");
		assertThat(after.at("/data/updatedAt").longValue()).isEqualTo(START.getEpochSecond() + 5);
		assertThat(after.at("/data/reqNo").asString()).isEqualTo(reqNo);
		assertThat(issuer.balance(GROUP)).isEqualByComparingTo("88.64");
	}

	@Test
	void aFailedRefundGivesTheAmountBackToTheGroup() {
		// given
		start(RefundLifecycle.immediate().withPendingRate(1).withRejectRate(1));
		String reqNo = client.refund("req-1", GROUP, "60.00").at("/data/reqNo").asString();
		JsonNode whileHeld = client.refund("req-2", GROUP, "60.00");

		// when
		clock.advance(Duration.ofSeconds(20));
		JsonNode query = client.queryRefund(reqNo);
		JsonNode group = client.group(GROUP);

		// then the balance was held while processing, and given back when it failed
		assertThat(whileHeld.path("code").intValue()).isEqualTo(IssuerException.INSUFFICIENT_BALANCE);
		assertThat(query.at("/data/status").stringValue()).isEqualTo("2");
		assertThat(group.at("/data/totalRefundAmount").decimalValue()).isZero();
		assertThat(group.at("/data/balance").decimalValue()).isEqualByComparingTo("100.00");
		assertThat(issuer.refundParts()).singleElement()
			.satisfies((part) -> assertThat(part.status()).isEqualTo(RefundStatus.REJECTED));
	}

	@Test
	void anErrorIsAcceptedWithStatusTwoAndMovesNoMoney() {
		// given
		start(RefundLifecycle.immediate().withErrorRate(1));

		// when
		JsonNode created = client.refund("req-1", GROUP, "11.36");

		// then
		assertThat(created.path("code").intValue()).isZero();
		assertThat(created.at("/data/status").stringValue()).isEqualTo("2");
		assertThat(issuer.balance(GROUP)).isEqualByComparingTo("100.00");
		assertThat(issuer.refundedAmount(GROUP)).isZero();
		assertThat(issuer.refundParts()).singleElement().satisfies((part) -> {
			assertThat(part.status()).isEqualTo(RefundStatus.ERROR);
			assertThat(part.idempotencyKey()).isEqualTo("req-1");
			assertThat(part.id()).isEqualTo(created.at("/data/reqNo").asString());
		});
	}

	@Test
	void anUnknownOrAnotherCompanysRefundIsNotFoundAndTheQueryIsSigned() {
		// given a refund of company 4101
		start(RefundLifecycle.immediate());
		String reqNo = client.refund("req-1", GROUP, "1.00").at("/data/reqNo").asString();

		// when
		JsonNode unknown = client.queryRefund("999999");
		JsonNode badSign = client.queryRefund("4101", reqNo, "NOT_THE_KEY");
		JsonNode completedAtOnce = client.queryRefund(reqNo);

		// then
		assertThat(unknown.path("code").intValue()).isEqualTo(2002);
		assertThat(unknown.at("/msg/en-US").stringValue()).isEqualTo("refund not found");
		assertThat(badSign.path("code").intValue()).isEqualTo(IssuerException.BAD_SIGN);
		assertThat(completedAtOnce.at("/data/status").stringValue()).isEqualTo("1");
		assertThat(issuer.queryCount()).isEqualTo(3);
	}

	@Test
	void theAdminCallsSettleAnIssuerRefundByItsReqNo() {
		// given two refunds that never settle by themselves
		start(RefundLifecycle.immediate().withPendingRate(1).withSettleAfter(Duration.ZERO));
		String first = client.refund("req-1", GROUP, "10.00").at("/data/reqNo").asString();
		String second = client.refund("req-2", GROUP, "20.00").at("/data/reqNo").asString();
		AdminTestClient admin = new AdminTestClient(server);

		// when
		int completed = admin.post("/sandbox/refunds/" + first + "/complete").statusCode();
		int rejected = admin.post("/sandbox/refunds/" + second + "/reject").statusCode();
		JsonNode truth = AdminTestClient.json(admin.get("/sandbox/refunds"));

		// then
		assertThat(completed).isEqualTo(200);
		assertThat(rejected).isEqualTo(200);
		assertThat(client.queryRefund(first).at("/data/status").stringValue()).isEqualTo("1");
		assertThat(client.queryRefund(second).at("/data/status").stringValue()).isEqualTo("2");
		assertThat(issuer.balance(GROUP)).isEqualByComparingTo("90.00");
		assertThat(truth.size()).isEqualTo(2);
		assertThat(truth.get(0).get("provider").stringValue()).isEqualTo("issuer");
		assertThat(truth.get(0).get("group").stringValue()).isEqualTo(GROUP);
		assertThat(truth.get(0).get("currency").stringValue()).isEqualTo("USD");
		assertThat(truth.get(1).get("status").stringValue()).isEqualTo("Rejected");
		assertThat(truth.get(1).get("idempotency_key").stringValue()).isEqualTo("req-2");
	}

}
