package io.grouprefunds.sandbox.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.grouprefunds.provider.issuer.IssuerSigner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;
import io.grouprefunds.sandbox.SimulatedIssuer;
import io.grouprefunds.sandbox.faults.FaultKind;
import io.grouprefunds.sandbox.faults.SandboxFaults;

/**
 * The simulated card issuer seen by a plain HTTP client: the sign checked over the configured fields, balances kept
 * and never exceeded, request_id not deduplicated unless asked, the group query, and the shared fault injection.
 */
class IssuerSandboxTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String GROUP = "5901";

	private final SandboxSettings settings = SandboxSettings.defaults();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private SandboxServer server;

	private SimulatedIssuer issuer;

	@BeforeEach
	void start() {
		server = SandboxServer.start(settings);
		issuer = server.issuer();
		issuer.addGroup("4101", GROUP, Currency.getInstance("USD"), new BigDecimal("100.00"));
		issuer.addGroup("4202", "6001", Currency.getInstance("USD"), new BigDecimal("100.00"));
	}

	@AfterEach
	void stop() {
		server.close();
	}

	private Map<String, String> refundFields(String requestId, String group, String amount) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("request_id", requestId);
		fields.put("company_id", settings.issuer().companyId());
		fields.put("group_id", group);
		fields.put("refund_amount", amount);
		return fields;
	}

	private HttpResponse<String> post(String path, Map<String, String> fields, List<String> signFields,
			String apiKey) {
		Map<String, String> body = new LinkedHashMap<>(fields);
		body.put("sign", IssuerSigner.sign(signFields, fields, apiKey));
		return post(path, JSON.writeValueAsString(body));
	}

	private HttpResponse<String> post(String path, String body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(server.issuerBaseUrl() + path))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.build();
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

	private HttpResponse<String> refund(String requestId, String group, String amount) {
		return post("/group/refund", refundFields(requestId, group, amount), settings.issuer().refundSignFields(),
				settings.issuer().apiKey());
	}

	private static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

	@Test
	void aSignedRefundIsAppliedAndAnsweredAsInTheSeed() {
		// when
		HttpResponse<String> response = refund("req-1", GROUP, "11.36");

		// then
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = json(response);
		assertThat(body.path("code").intValue()).isZero();
		assertThat(body.path("msg").path("en-US").stringValue()).isEqualTo("Success");
		assertThat(body.path("data").path("status").stringValue()).isEqualTo("1");
		assertThat(body.path("data").path("groupId").isNumber()).isTrue();
		assertThat(body.path("data").path("refundAmount").decimalValue()).isEqualByComparingTo("11.36");
		assertThat(issuer.appliedRefunds()).singleElement().satisfies(refund -> {
			assertThat(refund.groupPaymentId()).isEqualTo(GROUP);
			assertThat(refund.idempotencyKey()).isEqualTo("req-1");
			assertThat(refund.operationId()).isEqualTo(body.path("data").path("reqNo").asString());
		});
		assertThat(issuer.balance(GROUP)).isEqualByComparingTo("88.64");
		assertThat(issuer.refundedAmount(GROUP)).isEqualByComparingTo("11.36");
	}

	@Test
	void aWrongKeyOrFieldOrderIsRefusedWithTheSignCodeAndNothingIsApplied() {
		// when
		HttpResponse<String> wrongKey = post("/group/refund", refundFields("r", GROUP, "1.00"),
				settings.issuer().refundSignFields(), "NOT_THE_KEY");
		HttpResponse<String> wrongOrder = post("/group/refund", refundFields("r", GROUP, "1.00"),
				List.of("group_id", "company_id", "refund_amount"), settings.issuer().apiKey());

		// then
		assertThat(json(wrongKey).path("code").intValue()).isEqualTo(IssuerException.BAD_SIGN);
		assertThat(json(wrongOrder).path("code").intValue()).isEqualTo(IssuerException.BAD_SIGN);
		assertThat(json(wrongKey).path("msg").path("zh-CN").stringValue()).isNotBlank();
		assertThat(issuer.appliedRefunds()).isEmpty();
	}

	@Test
	void theSignIsCheckedOverTheFieldsTheSandboxIsConfiguredWith() {
		// given a sandbox signing in another order
		server.close();
		SandboxSettings reordered = settings.withIssuer(
				settings.issuer().withRefundSignFields(List.of("refund_amount", "group_id", "company_id")));
		server = SandboxServer.start(reordered);
		issuer = server.issuer();
		issuer.addGroup("4101", GROUP, Currency.getInstance("USD"), new BigDecimal("100.00"));

		// when
		HttpResponse<String> response = post("/group/refund", refundFields("r", GROUP, "1.00"),
				List.of("refund_amount", "group_id", "company_id"), settings.issuer().apiKey());

		// then
		assertThat(json(response).path("code").intValue()).isZero();
	}

	@Test
	void aRefundAboveTheBalanceIsRefusedAndTheBalanceIsKept() {
		// given
		assertThat(json(refund("a", GROUP, "60.00")).path("code").intValue()).isZero();

		// when
		HttpResponse<String> over = refund("b", GROUP, "40.01");
		HttpResponse<String> exact = refund("c", GROUP, "40.00");

		// then
		assertThat(json(over).path("code").intValue()).isEqualTo(IssuerException.INSUFFICIENT_BALANCE);
		assertThat(json(over).path("msg").path("en-US").stringValue()).contains("Insufficient group balance");
		assertThat(json(exact).path("code").intValue()).isZero();
		assertThat(issuer.balance(GROUP)).isEqualByComparingTo("0");
		assertThat(issuer.appliedRefunds()).hasSize(2);
	}

	@Test
	void aRepeatedRequestIdIsASecondRefundByDefault() {
		// when
		refund("same-id", GROUP, "10.00");
		refund("same-id", GROUP, "10.00");

		// then: like the issuer as documented, no deduplication
		assertThat(issuer.appliedRefunds()).hasSize(2);
		assertThat(issuer.refundedAmount(GROUP)).isEqualByComparingTo("20.00");
	}

	@Test
	void aRepeatedRequestIdGetsTheFirstAnswerWhenDeduplicationIsOn() {
		// given
		issuer.setDeduplicateRequestIds(true);

		// when
		String first = refund("same-id", GROUP, "10.00").body();
		String second = refund("same-id", GROUP, "10.00").body();

		// then
		assertThat(second).isEqualTo(first);
		assertThat(issuer.appliedRefunds()).hasSize(1);
	}

	@Test
	void anotherCompanysGroupOrAnUnknownGroupIsNotFound() {
		// when / then
		assertThat(json(refund("a", "6001", "1.00")).path("code").intValue())
			.isEqualTo(IssuerException.GROUP_NOT_FOUND);
		assertThat(json(refund("b", "4242", "1.00")).path("code").intValue())
			.isEqualTo(IssuerException.GROUP_NOT_FOUND);
		assertThat(issuer.appliedRefunds()).isEmpty();
	}

	@Test
	void amountsMustBePlainStringsOfAtMostTwelveCharactersAtTheCurrencysDecimals() {
		// when / then
		for (String amount : List.of("1.001", "-1.00", "1e2", "0.00", "1234567890.00")) {
			assertThat(json(refund("r-" + amount, GROUP, amount)).path("code").intValue()).as(amount)
				.isEqualTo(IssuerException.BAD_PARAMETER);
		}
		String numberAmount = "{\"request_id\":\"r\",\"company_id\":\"4101\",\"group_id\":\"5901\","
				+ "\"refund_amount\":11.36,\"sign\":\"X\"}";
		assertThat(json(post("/group/refund", numberAmount)).path("code").intValue())
			.isEqualTo(IssuerException.BAD_PARAMETER);
		assertThat(issuer.appliedRefunds()).isEmpty();
	}

	@Test
	void theGroupQueryShowsCurrencyBalanceAndTheTotalRefunded() {
		// given
		refund("a", GROUP, "11.36");
		refund("b", GROUP, "0.64");
		Map<String, String> query = new LinkedHashMap<>();
		query.put("request_id", "");
		query.put("company_id", "4101");
		query.put("group_id", GROUP);

		// when
		HttpResponse<String> response = post("/group/detail", query, settings.issuer().querySignFields(),
				settings.issuer().apiKey());

		// then
		JsonNode data = json(response).path("data");
		assertThat(json(response).path("code").intValue()).isZero();
		assertThat(data.path("currency").stringValue()).isEqualTo("USD");
		assertThat(data.path("balance").decimalValue()).isEqualByComparingTo("88.00");
		assertThat(data.path("totalRefundAmount").decimalValue()).isEqualByComparingTo("12.00");
		assertThat(issuer.queryCount()).isEqualTo(1);
	}

	@Test
	void theSharedFaultsApply() {
		// given an error after applying, then a 429 before
		issuer.setFaults(SandboxFaults.builder().errorAfterApply(1).seed(3).build());
		HttpResponse<String> afterApplying = refund("a", GROUP, "1.00");
		issuer.setFaults(SandboxFaults.builder().tooManyRequests(1).retryAfterSeconds(2).build());

		// when
		HttpResponse<String> tooMany = refund("b", GROUP, "1.00");

		// then
		assertThat(afterApplying.statusCode()).isIn(500, 502);
		assertThat(tooMany.statusCode()).isEqualTo(429);
		assertThat(tooMany.headers().firstValue("Retry-After")).contains("2");
		assertThat(issuer.appliedRefunds()).hasSize(1);
		assertThat(issuer.faultCounts()).containsEntry(FaultKind.ERROR_AFTER_APPLY, 1L)
			.containsEntry(FaultKind.TOO_MANY_REQUESTS, 1L);
		assertThat(issuer.tooManyRequestsCount()).isEqualTo(1);
		assertThat(server.rapyd().faultCounts().values()).containsOnly(0L);
	}

	@Test
	void aDropAfterApplyingLeavesTheClientWithNoAnswer() {
		// given
		issuer.setFaults(SandboxFaults.builder().dropAfterApply(1).build());

		// when / then
		assertThatThrownBy(() -> refund("a", GROUP, "1.00")).hasCauseInstanceOf(IOException.class);
		assertThat(issuer.appliedRefunds()).hasSize(1);
	}

	@Test
	void theSampleGroupsFileLoads(@TempDir Path dir) throws IOException {
		// given a sandbox with no groups yet
		server.close();
		server = SandboxServer.start(settings);
		issuer = server.issuer();
		Path csv = Files.writeString(dir.resolve("groups.csv"),
				"company_id,group_id,currency,balance\n4101,7001,USD,10.00\n4101,7002,JPY,500\n");

		// when
		issuer.loadGroups(csv);
		issuer.loadGroups(Path.of("sample-data/sandbox-issuer-groups.csv"));

		// then
		assertThat(issuer.balance("7002")).isEqualByComparingTo("500");
		assertThat(issuer.balance("5902")).isEqualByComparingTo("250.00");
	}

	@Test
	void theSandboxTellsTheJobHowToReachIt() {
		// when
		Map<String, String> client = server.clientSettings("issuer");

		// then
		assertThat(client).containsEntry("refunds.issuer.base-url", server.issuerBaseUrl())
			.containsEntry("refunds.issuer.company-id", "4101")
			.containsKey("refunds.issuer.api-key");
		assertThat(server.provider("issuer")).isSameAs(issuer);
		assertThat(server.issuerBaseUrl()).endsWith("/api");
	}

}
