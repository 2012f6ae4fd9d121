package io.grouprefunds.sandbox;

import static io.grouprefunds.sandbox.rapyd.RapydTestClient.refundBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigDecimal;
import java.util.Currency;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grouprefunds.sandbox.issuer.IssuerTestClient;
import io.grouprefunds.sandbox.rapyd.RapydTestClient;

/**
 * The shared parts over real HTTP: both providers found and mounted, the ground truth across both, and the admin
 * endpoints per provider (and Rapyd's without a prefix, as the benchmark reads them).
 */
class SandboxServerTest {

	private final SandboxSettings settings = SandboxSettings.defaults();

	private SandboxServer server;

	private AdminTestClient admin;

	@BeforeEach
	void start() {
		server = SandboxServer.start(settings);
		server.rapyd().addGeneratedGroupPayments(1);
		server.issuer().addGroup("4101", "5901", Currency.getInstance("USD"), new BigDecimal("100.00"));
		admin = new AdminTestClient(server);
	}

	@AfterEach
	void stop() {
		server.close();
	}

	@Test
	void bothProvidersAreMountedAndNamed() {
		// when / then
		assertThat(server.providerNames()).containsExactly("rapyd", "issuer");
		assertThat(server.provider("rapyd")).isSameAs(server.rapyd());
		assertThat(server.rapydBaseUrl()).isEqualTo("http://127.0.0.1:" + server.port());
		assertThat(server.issuerBaseUrl()).isEqualTo("http://127.0.0.1:" + server.port() + "/api");
		assertThat(server.clientSettings("rapyd")).containsOnlyKeys("refunds.rapyd.base-url",
				"refunds.rapyd.access-key", "refunds.rapyd.secret-key");
		assertThatIllegalArgumentException().isThrownBy(() -> server.provider("paypal"))
			.withMessageStartingWith("unknown provider 'paypal'")
			.withMessageContaining("rapyd and issuer");
	}

	@Test
	void theGroundTruthListsEveryPartOfBothProvidersAndEachProviderHasItsOwnEndpoints() {
		// given one refund at each provider
		new RapydTestClient(server, settings).refund(refundBody(String.format("gp_%032x", 1), "10"), "key-r");
		JsonNode issued = new IssuerTestClient(server, settings).refund("key-i", "5901", "11.36");

		// when
		JsonNode all = AdminTestClient.json(admin.get("/sandbox/refunds"));
		JsonNode issuerOnly = AdminTestClient.json(admin.get("/sandbox/issuer/refunds"));
		JsonNode issuerApplied = AdminTestClient.json(admin.get("/sandbox/issuer/applied"));
		JsonNode rapydCounters = AdminTestClient.json(admin.get("/sandbox/counters"));
		JsonNode issuerCounters = AdminTestClient.json(admin.get("/sandbox/issuer/counters"));
		JsonNode stats = AdminTestClient.json(admin.get("/sandbox/rapyd/stats?window=1000"));
		int unknown = admin.get("/sandbox/paypal/counters").statusCode();

		// then
		assertThat(all.size()).isEqualTo(2);
		assertThat(all.get(0).get("provider").stringValue()).isEqualTo("rapyd");
		assertThat(all.get(0).get("idempotency_key").stringValue()).isEqualTo("key-r");
		assertThat(all.get(0).get("amount").decimalValue()).isEqualByComparingTo("10.00");
		assertThat(all.get(1).get("provider").stringValue()).isEqualTo("issuer");
		assertThat(all.get(1).get("id").stringValue()).isEqualTo(issued.at("/data/reqNo").asString());
		assertThat(issuerOnly.size()).isEqualTo(1);
		assertThat(issuerApplied.get(0).get("idempotency_key").stringValue()).isEqualTo("key-i");
		assertThat(rapydCounters.get("requests").intValue()).isEqualTo(1);
		assertThat(issuerCounters.get("applied").intValue()).isEqualTo(1);
		assertThat(stats.get("requests").intValue()).isEqualTo(1);
		assertThat(unknown).isEqualTo(404);
		assertThat(server.refundParts()).extracting(RefundPart::status).containsOnly(RefundStatus.COMPLETED);
		assertThat(server.providerOfRefund(issued.at("/data/reqNo").asString())).contains(server.issuer());
	}

}
