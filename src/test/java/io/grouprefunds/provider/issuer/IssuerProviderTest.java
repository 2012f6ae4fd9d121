package io.grouprefunds.provider.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Currency;
import java.util.List;

import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.provider.GroupState;
import io.grouprefunds.domain.ConfigurationException;
import io.grouprefunds.provider.RefundInstruction;
import io.grouprefunds.domain.SubmitOutcome;
import io.grouprefunds.domain.SubmitOutcome.Retry;
import io.grouprefunds.sandbox.IssuerSandboxSettings;
import io.grouprefunds.sandbox.faults.SandboxFaults;
import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;
import io.grouprefunds.system.ProviderWebClients;
import io.grouprefunds.system.SystemConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * The card issuer adapter: the exact bytes it sends, its settings check, and its calls against the sandbox over HTTP
 * (refund, group query, wrong key, an answer lost after the refund was applied).
 */
class IssuerProviderTest {

	private static final Currency USD = Currency.getInstance("USD");

	private SandboxServer sandbox;

	@AfterEach
	void stop() {
		if (sandbox != null) {
			sandbox.close();
		}
	}

	private static IssuerProvider provider(IssuerProperties properties) {
		WebClient webClient = ProviderWebClients.create(WebClient.builder(), "issuer-test", Duration.ofSeconds(2),
				Duration.ofMillis(800), 4);
		return new IssuerProvider(properties, webClient, SystemConfiguration.exactJson());
	}

	private static RefundInstruction refund(String groupId, String amount, String currency) {
		return RefundInstruction.of(1, "r-1", groupId, amount == null ? null : new BigDecimal(amount), currency,
				"gr-key-1");
	}

	/** A sandbox with group 5901 (100.00 USD) and a provider pointed at it with the sandbox's keys. */
	private IssuerProvider againstSandbox(SandboxSettings settings, String... overrides) {
		sandbox = SandboxServer.start(settings);
		sandbox.issuer().addGroup("4101", "5901", USD, new BigDecimal("100.00"));
		String[] all = new String[overrides.length + 4];
		all[0] = "refunds.issuer.base-url";
		all[1] = sandbox.issuerBaseUrl();
		all[2] = "refunds.issuer.api-key";
		all[3] = settings.issuer().apiKey();
		System.arraycopy(overrides, 0, all, 4, overrides.length);
		return provider(IssuerSettings.bind(all));
	}

	@Test
	void theBodyIsTheSeedsShapeEveryValueAStringSignedWithTheVector() {
		// given
		IssuerProvider issuer = provider(IssuerSettings.bind());

		// when
		String body = issuer.refundBody(refund("5901", "11.36", "USD"));

		// then: the providers.md vector, and request_id = the row's idempotency key
		assertThat(body).isEqualTo("{\"request_id\":\"gr-key-1\",\"company_id\":\"4101\",\"group_id\":\"5901\","
				+ "\"refund_amount\":\"11.36\",\"sign\":"
				+ "\"A7C7316C0DDE8663CBB9623455A5D09994FB53BDB276D377DDA13C4F6ADB64D8\"}");
	}

	@Test
	void theAmountIsWrittenAtTheCurrencysScale() {
		// given
		IssuerProvider issuer = provider(IssuerSettings.bind("refunds.issuer.currencies", "USD,JPY"));

		// when / then
		assertThat(issuer.refundBody(refund("5901", "5", "USD"))).contains("\"refund_amount\":\"5.00\"");
		assertThat(issuer.refundBody(refund("5901", "5000", "JPY"))).contains("\"refund_amount\":\"5000\"");
	}

	@Test
	void theRowRulesFollowTheSettings() {
		// given
		IssuerProvider issuer = provider(IssuerSettings.bind("refunds.issuer.currencies", "USD,EUR"));

		// when / then
		assertThat(issuer.rowRules().amountRequired()).isTrue();
		assertThat(issuer.rowRules().currencies()).containsExactlyInAnyOrder("USD", "EUR");
		assertThat(issuer.rowRules().maxAmountLength()).isEqualTo(12);
		assertThat(issuer.rowRules().looksLikeGroupId("5901")).isTrue();
		assertThat(issuer.rowRules().looksLikeGroupId("gp_8932172b9ae44d0caa04d5d419b43739")).isFalse();
	}

	@Test
	void aDryRunPreviewShowsTheBodyButNoSignAndNoKey() {
		// given
		IssuerProvider issuer = provider(IssuerSettings.bind());

		// when
		String preview = issuer.preview(refund("5901", "11.36", "USD"));

		// then
		assertThat(preview).contains("POST https://sandbox.vcc.top/api/group/refund")
			.contains("\"refund_amount\":\"11.36\"")
			.contains("company_id + group_id + refund_amount + api_key")
			.doesNotContain("TEST_API_KEY")
			.doesNotContain("A7C7316C");
	}

	@Test
	void missingOrBadSettingsAreConfigurationErrorsThatNeverShowTheKey() {
		// given
		IssuerProvider noKey = provider(IssuerSettings.bind("refunds.issuer.api-key", ""));
		IssuerProvider badField = provider(IssuerSettings.bind("refunds.issuer.sign-fields", "company_id,amount",
				"refunds.issuer.api-key", "Secret_Key_777"));
		IssuerProvider badCompany = provider(IssuerSettings.bind("refunds.issuer.company-id", "ACME"));

		// when / then
		assertThatThrownBy(noKey::checkConfiguration).isInstanceOf(ConfigurationException.class)
			.hasMessageContaining("refunds.issuer.api-key");
		assertThatThrownBy(badField::checkConfiguration).isInstanceOf(ConfigurationException.class)
			.hasMessageContaining("refunds.issuer.sign-fields")
			.hasMessageNotContaining("Secret_Key_777");
		assertThatThrownBy(badCompany::checkConfiguration).isInstanceOf(ConfigurationException.class)
			.hasMessageContaining("refunds.issuer.company-id");
		provider(IssuerSettings.bind()).checkConfiguration();
	}

	@Test
	void thePropertiesNeverShowTheKey() {
		assertThat(IssuerSettings.bind("refunds.issuer.api-key", "Secret_Key_777").toString())
			.doesNotContain("Secret_Key_777")
			.contains("apiKey=****");
	}

	@Test
	void aRefundAgainstTheSandboxSucceedsAndTheQueryShowsIt() {
		// given
		IssuerProvider issuer = againstSandbox(SandboxSettings.defaults());

		// when
		SubmitOutcome outcome = issuer.submit(refund("5901", "11.36", "USD")).block();
		GroupState group = issuer.queryGroup("5901").block();

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.SUCCEEDED);
		assertThat(outcome.operationId()).isEqualTo(sandbox.issuer().appliedRefunds().get(0).operationId());
		assertThat(sandbox.issuer().appliedRefunds().get(0).idempotencyKey()).isEqualTo("gr-key-1");
		assertThat(group.found()).isTrue();
		assertThat(group.currency()).isEqualTo(USD);
		assertThat(group.refunded()).isEqualByComparingTo("11.36");
		assertThat(group.total()).isNull();
	}

	@Test
	void aGroupTheIssuerDoesNotKnowIsNotFound() {
		// given
		IssuerProvider issuer = againstSandbox(SandboxSettings.defaults());

		// when / then
		assertThat(issuer.queryGroup("424242").block().found()).isFalse();
	}

	@Test
	void aQueryAnswerWithoutTheConfiguredRefundedFieldIsAnErrorNotAGuess() {
		// given a refunded-total field the answer does not have
		IssuerProvider issuer = againstSandbox(SandboxSettings.defaults(), "refunds.issuer.query-refunded-field",
				"refundedSoFar");

		// when / then: reconciliation will leave the row UNKNOWN
		assertThatThrownBy(() -> issuer.queryGroup("5901").block()).hasMessageContaining("refundedSoFar")
			.hasMessageContaining("refunds.issuer.query-refunded-field");
	}

	@Test
	void aWrongKeyStopsTheJobAndNothingIsApplied() {
		// given
		IssuerProvider issuer = againstSandbox(SandboxSettings.defaults(), "refunds.issuer.api-key", "WRONG");

		// when
		SubmitOutcome outcome = issuer.submit(refund("5901", "11.36", "USD")).block();

		// then
		assertThat(outcome.retry()).isEqualTo(Retry.STOP_JOB);
		assertThat(outcome.errorCode()).isEqualTo("1001");
		assertThat(sandbox.issuer().appliedRefunds()).isEmpty();
	}

	@Test
	void signFieldsConfiguredInAnotherOrderThanTheSandboxsAreRefused() {
		// given a sandbox that signs in another order than the job
		IssuerProvider issuer = againstSandbox(SandboxSettings.defaults()
			.withIssuer(IssuerSandboxSettings.defaults()
				.withRefundSignFields(List.of("group_id", "company_id", "refund_amount"))));

		// when
		SubmitOutcome outcome = issuer.submit(refund("5901", "11.36", "USD")).block();

		// then
		assertThat(outcome.retry()).isEqualTo(Retry.STOP_JOB);
		assertThat(sandbox.issuer().appliedRefunds()).isEmpty();
	}

	@Test
	void anAnswerLostAfterTheRefundWasAppliedIsUnknownAndTheQueryProvesIt() {
		// given
		IssuerProvider issuer = againstSandbox(
				SandboxSettings.defaults().withFaults(SandboxFaults.builder().dropAfterApply(1).build()));

		// when
		SubmitOutcome outcome = issuer.submit(refund("5901", "11.36", "USD")).block();

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.UNKNOWN);
		assertThat(sandbox.issuer().appliedRefunds()).hasSize(1);
		assertThat(issuer.queryGroup("5901").block().refunded()).isEqualByComparingTo("11.36");
	}

	@Test
	void aRefundAboveTheBalanceIsDeclined() {
		// given
		IssuerProvider issuer = againstSandbox(SandboxSettings.defaults());

		// when
		SubmitOutcome outcome = issuer.submit(refund("5901", "100.01", "USD")).block();

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.DECLINED);
		assertThat(outcome.errorCode()).isEqualTo("2002");
		assertThat(outcome.errorMessage()).startsWith("Insufficient group balance").endsWith("| 分组余额不足");
	}

}
