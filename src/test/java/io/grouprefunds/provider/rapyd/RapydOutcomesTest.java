package io.grouprefunds.provider.rapyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import io.grouprefunds.domain.PartState;
import io.grouprefunds.domain.RefundPart;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.domain.SubmitOutcome;
import io.grouprefunds.domain.SubmitOutcome.Retry;
import io.grouprefunds.provider.RefundInstruction;
import io.grouprefunds.system.SystemConfiguration;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.web.reactive.function.client.WebClientRequestException;

/** The classification table: every Rapyd answer, or the lack of one, mapped to what the job does about it. */
class RapydOutcomesTest {

	private static final String HTML = "<html><head><title>Error</title></head><body>Bad gateway</body></html>";

	private final RapydOutcomes outcomes = new RapydOutcomes(SystemConfiguration.exactJson());

	private static String error(String code, String message) {
		return "{\"status\":{\"error_code\":\"" + code + "\",\"status\":\"ERROR\",\"message\":\"" + message
				+ "\",\"response_code\":\"" + code + "\",\"operation_id\":\"op-err-1\"}}";
	}

	private static String success(String payments) {
		return "{\"status\":{\"error_code\":\"\",\"status\":\"SUCCESS\",\"message\":\"\",\"response_code\":\"\","
				+ "\"operation_id\":\"op-123\"},\"data\":{\"id\":\"gp_8932172b9ae44d0caa04d5d419b43739\","
				+ "\"amount\":125,\"currency\":\"USD\",\"payments\":" + payments + "}}";
	}

	@Test
	void successIsSucceededAndKeepsTheOperationId() {
		// given
		String body = success("[{\"id\":\"payment_1\",\"amount\":75,\"refunded_amount\":42.6,"
				+ "\"refunds\":[{\"id\":\"refund_1\",\"amount\":42.6,\"status\":\"Completed\"}]}]");

		// when
		SubmitOutcome outcome = outcomes.fromResponse(200, null, body);

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.SUCCEEDED);
		assertThat(outcome.retry()).isEqualTo(Retry.NONE);
		assertThat(outcome.operationId()).isEqualTo("op-123");
		assertThat(outcome.httpStatus()).isEqualTo(200);
		assertThat(outcome.refundStatus()).isEqualTo("Completed");
		assertThat(outcome.errorCode()).isNull();
	}

	@Test
	void successWithoutRefundObjectsIsPendingUntilReconcileFindsThem() {
		// given Rapyd's public sample: accepted, "refunds": null
		String body = success("[{\"id\":\"payment_1\",\"amount\":75,\"refunds\":null}]");

		// when
		SubmitOutcome outcome = outcomes.fromResponse(200, null, body);

		// then
		assertThat(outcome.accepted()).isTrue();
		assertThat(outcome.parts()).isEmpty();
		assertThat(outcome.status()).isEqualTo(RowStatus.PENDING);
		assertThat(outcome.operationId()).isEqualTo("op-123");
		assertThat(outcome.providerCurrency()).isEqualTo("USD");
	}

	@Test
	void everyRefundObjectIsOfferedWithItsPaymentAmountStatusAndTimes() {
		// given the create answer of a group refund split over two payments
		String body = success("[{\"id\":\"payment_1\",\"refunds\":[" + refund("refund_a", "42.6", "Pending")
				+ "]},{\"id\":\"payment_2\",\"refunds\":[" + refund("refund_b", "28.4", "Completed") + "]}]");

		// when
		SubmitOutcome outcome = outcomes.fromResponse(200, null, body, instruction("71", "USD"), Set.of());

		// then
		assertThat(outcome.parts()).extracting(RefundPart::partId, RefundPart::paymentId, RefundPart::status,
				RefundPart::state, RefundPart::currency)
			.containsExactly(tuple("refund_a", "payment_1", "Pending", PartState.PENDING, "USD"),
					tuple("refund_b", "payment_2", "Completed", PartState.COMPLETED, "USD"));
		assertThat(outcome.parts().get(0).amount()).isEqualByComparingTo("42.6");
		assertThat(outcome.parts().get(0).createdAt()).isEqualTo(Instant.ofEpochSecond(1700000000));
		assertThat(outcome.status()).isEqualTo(RowStatus.PENDING);
		assertThat(outcome.refundStatus()).isEqualTo("Pending,Completed");
	}

	@ParameterizedTest(name = "{0} + {1} for 71 USD -> {2}")
	@CsvSource({ "Completed, Completed, SUCCEEDED", "Pending, Completed, PENDING", "Error, Error, DECLINED",
			"Rejected, Cancelled, DECLINED", "Completed, Error, DISCREPANCY", "Completed, Rejected, DISCREPANCY" })
	void theRowsStatusIsTheReadingOfItsOwnParts(String first, String second, RowStatus expected) {
		// given
		String body = success("[{\"id\":\"payment_1\",\"refunds\":[" + refund("refund_a", "42.6", first)
				+ "]},{\"id\":\"payment_2\",\"refunds\":[" + refund("refund_b", "28.4", second) + "]}]");

		// when
		SubmitOutcome outcome = outcomes.fromResponse(200, null, body, instruction("71", "USD"), Set.of());

		// then
		assertThat(outcome.status()).isEqualTo(expected);
		assertThat(outcome.accepted()).isTrue();
	}

	@Test
	void refundObjectsShownBeforeThisRequestAreNotItsOwn() {
		// given a payment refunded before (refund_old, Pending) and this request's refund_new, Completed
		String body = success("[{\"id\":\"payment_1\",\"refunds\":[" + refund("refund_old", "10", "Pending") + ","
				+ refund("refund_new", "5", "Completed") + "]}]");

		// when
		SubmitOutcome outcome = outcomes.fromResponse(200, null, body, instruction("5", "USD"), Set.of("refund_old"));

		// then: only its own part counts, and it is done
		assertThat(outcome.parts()).extracting(RefundPart::partId).containsExactly("refund_new");
		assertThat(outcome.status()).isEqualTo(RowStatus.SUCCEEDED);
	}

	@Test
	void aGroupInAnotherCurrencyIsNeverSucceeded() {
		// given a GBP row on a USD group payment: Rapyd refunds in the group's currency
		String body = success("[{\"id\":\"payment_1\",\"refunds\":[" + refund("refund_a", "5", "Completed") + "]}]");

		// when
		SubmitOutcome outcome = outcomes.fromResponse(200, null, body, instruction("5", "GBP"), Set.of());

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.DISCREPANCY);
		assertThat(outcome.errorMessage()).contains("5.00 USD").contains("GBP");
	}

	private static String refund(String id, String amount, String status) {
		return "{\"id\":\"" + id + "\",\"amount\":" + amount + ",\"currency\":\"USD\",\"status\":\"" + status
				+ "\",\"created_at\":1700000000,\"updated_at\":1700000000,\"failure_reason\":\"\"}";
	}

	private static RefundInstruction instruction(String amount, String currency) {
		return RefundInstruction.of(1, "r-1", "gp_8932172b9ae44d0caa04d5d419b43739", new BigDecimal(amount), currency,
				"gr-key");
	}

	@Test
	void aRefundErrorIsDeclinedWithCodeAndMessage() {
		// given
		String body = error("ERROR_CREATE_REFUND", "The group payment is not closed.");

		// when
		SubmitOutcome outcome = outcomes.fromResponse(400, null, body);

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.DECLINED);
		assertThat(outcome.retry()).isEqualTo(Retry.NONE);
		assertThat(outcome.errorCode()).isEqualTo("ERROR_CREATE_REFUND");
		assertThat(outcome.errorMessage()).isEqualTo("The group payment is not closed.");
		assertThat(outcome.operationId()).isEqualTo("op-err-1");
		assertThat(outcome.httpStatus()).isEqualTo(400);
	}

	@Test
	void anUnknownErrorCodeIsDeclined() {
		// given
		String body = error("ERROR_SOMETHING_NEW", "whatever");

		// when
		SubmitOutcome outcome = outcomes.fromResponse(400, null, body);

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.DECLINED);
		assertThat(outcome.errorCode()).isEqualTo("ERROR_SOMETHING_NEW");
	}

	@Test
	void partialRefundNotReadyIsRetryableLaterNotNow() {
		// given
		String body = error("ERROR_CREATE_PARTIAL_REFUND_NOT_READY", "try again after 24 hours");

		// when
		SubmitOutcome outcome = outcomes.fromResponse(400, null, body);

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.RETRYABLE);
		assertThat(outcome.retry()).isEqualTo(Retry.NONE);
		assertThat(outcome.errorCode()).isEqualTo("ERROR_CREATE_PARTIAL_REFUND_NOT_READY");
	}

	@ParameterizedTest
	@ValueSource(strings = { "401:UNAUTHENTICATED_API_CALL", "401:UNAUTHORIZED_API_CALL",
			"400:MISSING_AUTHENTICATION_HEADERS" })
	void credentialErrorsStopTheJobNamingTheSettingsButNoKey(String statusAndCode) {
		// given an answer whose text even echoes a key
		int status = Integer.parseInt(statusAndCode.substring(0, 3));
		String code = statusAndCode.substring(4);
		String body = error(code, "signature mismatch for access key rak_TEST_ACCESS_KEY rsk_TEST_SECRET_KEY");

		// when
		SubmitOutcome outcome = outcomes.fromResponse(status, null, body);

		// then
		assertThat(outcome.retry()).isEqualTo(Retry.STOP_JOB);
		assertThat(outcome.status()).isNotIn(RowStatus.SUCCEEDED, RowStatus.DECLINED, RowStatus.UNKNOWN);
		assertThat(outcome.errorCode()).isEqualTo(code);
		assertThat(outcome.errorMessage()).contains("refunds.rapyd.access-key", "refunds.rapyd.secret-key",
				"refunds.rapyd.base-url");
		assertThat(outcome.errorMessage()).doesNotContain("rak_TEST_ACCESS_KEY", "rsk_TEST_SECRET_KEY");
	}

	@Test
	void rateLimitedWithNumericRetryAfterIsRetriedNowAfterThatDelay() {
		// given / when
		SubmitOutcome outcome = outcomes.fromResponse(429, "7", error("TOO_MANY", "slow down"));

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.RETRYABLE);
		assertThat(outcome.retry()).isEqualTo(Retry.NOW);
		assertThat(outcome.retryAfter()).isEqualTo(Duration.ofSeconds(7));
		assertThat(outcome.httpStatus()).isEqualTo(429);
	}

	@Test
	void rateLimitedWithoutRetryAfterAndAnHtmlBodyIsRetriedNow() {
		// given a WAF page, no header
		// when
		SubmitOutcome outcome = outcomes.fromResponse(429, null, HTML);

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.RETRYABLE);
		assertThat(outcome.retry()).isEqualTo(Retry.NOW);
		assertThat(outcome.retryAfter()).isNull();
	}

	@Test
	void rateLimitedWithAnHttpDateRetryAfterFallsBackToTheBackoff() {
		// given / when
		SubmitOutcome outcome = outcomes.fromResponse(429, "Wed, 21 Oct 2015 07:28:00 GMT", "");

		// then
		assertThat(outcome.retry()).isEqualTo(Retry.NOW);
		assertThat(outcome.retryAfter()).isNull();
	}

	@Test
	void retryAfterIsParsedLeniently() {
		// given / when / then
		assertThat(RapydOutcomes.parseRetryAfter(" 30 ")).isEqualTo(Duration.ofSeconds(30));
		assertThat(RapydOutcomes.parseRetryAfter("0")).isEqualTo(Duration.ZERO);
		assertThat(RapydOutcomes.parseRetryAfter("-5")).isEqualTo(Duration.ZERO);
		assertThat(RapydOutcomes.parseRetryAfter("")).isNull();
		assertThat(RapydOutcomes.parseRetryAfter("soon")).isNull();
	}

	@ParameterizedTest
	@ValueSource(ints = { 500, 502, 503, 504 })
	void serverErrorsWithHtmlAreUnknown(int status) {
		// given / when
		SubmitOutcome outcome = outcomes.fromResponse(status, null, HTML);

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.UNKNOWN);
		assertThat(outcome.retry()).isEqualTo(Retry.NONE);
		assertThat(outcome.errorCode()).isEqualTo("HTTP_" + status);
		assertThat(outcome.errorMessage()).isNotBlank();
	}

	@ParameterizedTest
	@ValueSource(ints = { 500, 502, 503 })
	void serverErrorsWithRapydJsonAreUnknownNotDeclined(int status) {
		// given
		String body = error("INTERNAL_ERROR", "Something went wrong");

		// when
		SubmitOutcome outcome = outcomes.fromResponse(status, null, body);

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.UNKNOWN);
		assertThat(outcome.errorCode()).isEqualTo("INTERNAL_ERROR");
		assertThat(outcome.operationId()).isEqualTo("op-err-1");
	}

	@ParameterizedTest
	@ValueSource(strings = { "not json at all", "{\"status\":", "[]", "", "<html>ok</html>", "{\"data\":{}}" })
	void aSuccessStatusWithAnUnreadableBodyIsUnknown(String body) {
		// given / when
		SubmitOutcome outcome = outcomes.fromResponse(200, null, body);

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.UNKNOWN);
		assertThat(outcome.errorCode()).isEqualTo("UNREADABLE_RESPONSE");
	}

	@Test
	void aNullBodyIsUnknown() {
		// given / when
		SubmitOutcome outcome = outcomes.fromResponse(200, null, null);

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.UNKNOWN);
	}

	@ParameterizedTest
	@ValueSource(ints = { 401, 403, 404, 405 })
	void anHtmlAnswerThatIsNotRapydsStopsTheJob(int status) {
		// given a gateway page, or a base URL that points elsewhere
		// when
		SubmitOutcome outcome = outcomes.fromResponse(status, null, HTML);

		// then
		assertThat(outcome.retry()).isEqualTo(Retry.STOP_JOB);
		assertThat(outcome.errorMessage()).contains("refunds.rapyd.base-url");
	}

	@Test
	void a400HtmlAnswerWasStoppedBeforeRapydAndIsRetryable() {
		// given / when
		SubmitOutcome outcome = outcomes.fromResponse(400, null, HTML);

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.RETRYABLE);
		assertThat(outcome.retry()).isNotEqualTo(Retry.STOP_JOB);
		assertThat(outcome.errorCode()).isEqualTo("HTTP_400");
	}

	@Test
	void aRefusedConnectionIsRetriedNow() {
		// given / when
		SubmitOutcome outcome = outcomes.fromTransportError(new ConnectException("Connection refused"));

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.RETRYABLE);
		assertThat(outcome.retry()).isEqualTo(Retry.NOW);
		assertThat(outcome.httpStatus()).isNull();
		assertThat(outcome.errorCode()).isEqualTo("CONNECT_FAILED");
	}

	@Test
	void aRefusedConnectionWrappedInOtherExceptionsIsRetriedNow() {
		// given
		Throwable wrapped = new IllegalStateException("outer",
				new RuntimeException("middle", new ConnectException("Connection refused")));

		// when
		SubmitOutcome outcome = outcomes.fromTransportError(wrapped);

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.RETRYABLE);
		assertThat(outcome.retry()).isEqualTo(Retry.NOW);
	}

	@Test
	void aConnectTimeoutOrUnknownHostIsRetriedNow() {
		// given / when / then
		assertThat(outcomes.fromTransportError(new ConnectTimeoutException("connect timed out")).retry())
			.isEqualTo(Retry.NOW);
		assertThat(outcomes.fromTransportError(new RuntimeException(new UnknownHostException("nowhere"))).retry())
			.isEqualTo(Retry.NOW);
	}

	@Test
	void aWebClientRequestExceptionAroundARefusedConnectionIsRetriedNow() {
		// given what WebClient actually raises
		Throwable error = new WebClientRequestException(new ConnectException("Connection refused"),
				org.springframework.http.HttpMethod.POST, java.net.URI.create("http://127.0.0.1:1/v1/x"),
				new org.springframework.http.HttpHeaders());

		// when
		SubmitOutcome outcome = outcomes.fromTransportError(error);

		// then
		assertThat(outcome.retry()).isEqualTo(Retry.NOW);
	}

	@Test
	void aReadTimeoutIsUnknown() {
		// given / when
		SubmitOutcome outcome = outcomes.fromTransportError(ReadTimeoutException.INSTANCE);

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.UNKNOWN);
		assertThat(outcome.retry()).isEqualTo(Retry.NONE);
		assertThat(outcome.errorCode()).isEqualTo("NO_RESPONSE");
		assertThat(outcome.errorMessage()).contains("ReadTimeoutException");
	}

	@Test
	void aResetConnectionIsUnknown() {
		// given / when
		SubmitOutcome outcome = outcomes.fromTransportError(new RuntimeException(new IOException("Connection reset")));

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.UNKNOWN);
		assertThat(outcome.errorMessage()).contains("IOException");
	}

	@Test
	void aPrematureCloseIsUnknown() {
		// given / when
		SubmitOutcome outcome = outcomes.fromTransportError(PrematureCloseException.TEST_EXCEPTION);

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.UNKNOWN);
		assertThat(outcome.retry()).isEqualTo(Retry.NONE);
	}

	@Test
	void aReactorTimeoutIsUnknown() {
		// given / when
		SubmitOutcome outcome = outcomes.fromTransportError(new TimeoutException("Did not observe any item"));

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.UNKNOWN);
	}

}
