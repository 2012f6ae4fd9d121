package io.grouprefunds.provider.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.ConnectException;
import java.time.Duration;

import io.grouprefunds.domain.PartState;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.domain.SubmitOutcome;
import io.grouprefunds.domain.SubmitOutcome.Retry;
import io.grouprefunds.provider.RefundInstruction;
import io.grouprefunds.system.SystemConfiguration;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The classification table: every card issuer answer, or the lack of one, mapped to what the job does about it. */
class IssuerOutcomesTest {

	private static final String SEED_SUCCESS = "{\"code\":0,\"msg\":{\"zh-CN\":\"成功\",\"en-US\":\"Success\"},"
			+ "\"data\":{\"companyId\":4101,\"groupId\":5901,\"refundAmount\":11.36,\"status\":\"1\","
			+ "\"reqNo\":114001}}";

	private final IssuerOutcomes outcomes = new IssuerOutcomes(SystemConfiguration.exactJson(), IssuerSettings.bind());

	private static String error(int code, String english, String chinese) {
		return "{\"code\":" + code + ",\"msg\":{\"zh-CN\":\"" + chinese + "\",\"en-US\":\"" + english
				+ "\"},\"data\":null}";
	}

	@Test
	void theSeedsSuccessIsSucceededWithReqNoAsTheReference() {
		// when
		SubmitOutcome outcome = outcomes.fromResponse(200, null, SEED_SUCCESS);

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.SUCCEEDED);
		assertThat(outcome.retry()).isEqualTo(Retry.NONE);
		assertThat(outcome.operationId()).isEqualTo("114001");
		assertThat(outcome.refundStatus()).isEqualTo("1");
		assertThat(outcome.httpStatus()).isEqualTo(200);
		assertThat(outcome.errorCode()).isNull();
	}

	@Test
	void codeZeroWithAnotherStatusIsPendingWithThatStatusKept() {
		// given
		String body = SEED_SUCCESS.replace("\"status\":\"1\"", "\"status\":\"0\"");

		// when
		SubmitOutcome outcome = outcomes.fromResponse(200, null, body);

		// then: accepted, but not known to be done
		assertThat(outcome.status()).isEqualTo(RowStatus.PENDING);
		assertThat(outcome.refundStatus()).isEqualTo("0");
		assertThat(outcome.operationId()).isEqualTo("114001");
	}

	@Test
	void theRefundIsOnePartItsReqNoWithItsStatus() {
		// when
		SubmitOutcome outcome = outcomes.fromResponse(200, null, SEED_SUCCESS, instruction("11.36", "USD"), "USD");

		// then
		assertThat(outcome.accepted()).isTrue();
		assertThat(outcome.parts()).singleElement().satisfies(part -> {
			assertThat(part.partId()).isEqualTo("114001");
			assertThat(part.status()).isEqualTo("1");
			assertThat(part.state()).isEqualTo(PartState.COMPLETED);
			assertThat(part.amount()).isEqualByComparingTo("11.36");
			assertThat(part.paymentId()).isNull();
		});
		assertThat(outcome.status()).isEqualTo(RowStatus.SUCCEEDED);
	}

	@ParameterizedTest(name = "data.status {0} -> {1}")
	@CsvSource({ "1, SUCCEEDED", "0, PENDING", "2, DECLINED", "7, PENDING" })
	void theStatusListsSayWhatARefundCameTo(String status, RowStatus expected) {
		// given: 0 processing, 1 done, 2 failed (the amount went back to the group); an unknown status is followed
		String body = SEED_SUCCESS.replace("\"status\":\"1\"", "\"status\":\"" + status + "\"");

		// when
		SubmitOutcome outcome = outcomes.fromResponse(200, null, body, instruction("11.36", "USD"), "USD");

		// then
		assertThat(outcome.status()).isEqualTo(expected);
		assertThat(outcome.refundStatus()).isEqualTo(status);
		assertThat(outcome.operationId()).isEqualTo("114001");
	}

	@Test
	void aGroupKnownToBeInAnotherCurrencyIsNeverSucceeded() {
		// when the group query said EUR and the row says USD
		SubmitOutcome outcome = outcomes.fromResponse(200, null, SEED_SUCCESS, instruction("11.36", "USD"), "EUR");

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.DISCREPANCY);
		assertThat(outcome.errorMessage()).contains("11.36 EUR").contains("USD");
	}

	@Test
	void thePendingAndFailedStatusesAreSettings() {
		// given
		IssuerOutcomes configured = new IssuerOutcomes(SystemConfiguration.exactJson(),
				IssuerSettings.bind("refunds.issuer.failed-statuses", "9", "refunds.issuer.pending-statuses", "2"));
		String body = SEED_SUCCESS.replace("\"status\":\"1\"", "\"status\":\"9\"");

		// when / then
		assertThat(configured.fromResponse(200, null, body, instruction("11.36", "USD"), "USD").status())
			.isEqualTo(RowStatus.DECLINED);
		assertThat(configured.state("2")).isEqualTo(PartState.PENDING);
	}

	private static RefundInstruction instruction(String amount, String currency) {
		return RefundInstruction.of(1, "i-1", "5901", new BigDecimal(amount), currency, "gr-key");
	}

	@Test
	void theSucceededStatusesAreASetting() {
		// given
		IssuerOutcomes configured = new IssuerOutcomes(SystemConfiguration.exactJson(),
				IssuerSettings.bind("refunds.issuer.succeeded-statuses", "1,2"));

		// when / then
		assertThat(configured.fromResponse(200, null, SEED_SUCCESS.replace("\"status\":\"1\"", "\"status\":\"2\""))
			.status()).isEqualTo(RowStatus.SUCCEEDED);
	}

	@Test
	void aNonZeroCodeIsDeclinedWithTheCodeAndBothLanguagesEnglishFirst() {
		// when
		SubmitOutcome outcome = outcomes.fromResponse(200, null, error(2002, "Insufficient group balance", "分组余额不足"));

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.DECLINED);
		assertThat(outcome.retry()).isEqualTo(Retry.NONE);
		assertThat(outcome.errorCode()).isEqualTo("2002");
		assertThat(outcome.errorMessage()).isEqualTo("Insufficient group balance | 分组余额不足");
	}

	@Test
	void aCodeAsAStringIsReadToo() {
		// when
		SubmitOutcome outcome = outcomes.fromResponse(200, null, "{\"code\":\"2001\",\"msg\":\"Group not found\"}");

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.DECLINED);
		assertThat(outcome.errorCode()).isEqualTo("2001");
		assertThat(outcome.errorMessage()).isEqualTo("Group not found");
	}

	@Test
	void aConfiguredRetryCodeIsRetriedNotDeclined() {
		// given an operator who learnt that the issuer answers a rate limit as code 1429
		IssuerOutcomes configured = new IssuerOutcomes(SystemConfiguration.exactJson(),
				IssuerSettings.bind("refunds.issuer.retry-codes", "1429"));

		// when
		SubmitOutcome outcome = configured.fromResponse(200, null, error(1429, "Too many requests", "请求过于频繁"));

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.RETRYABLE);
		assertThat(outcome.retry()).isEqualTo(Retry.NOW);
		assertThat(outcomes.fromResponse(200, null, error(1429, "Too many requests", "请求过于频繁")).status())
			.as("by default no code is retried").isEqualTo(RowStatus.DECLINED);
	}

	@Test
	void aStopCodeStopsTheJobNamingTheSettings() {
		// when
		SubmitOutcome outcome = outcomes.fromResponse(200, null, error(1002, "Company not found", "商户不存在"));

		// then
		assertThat(outcome.retry()).isEqualTo(Retry.STOP_JOB);
		assertThat(outcome.status()).isEqualTo(RowStatus.RETRYABLE);
		assertThat(outcome.errorCode()).isEqualTo("1002");
		assertThat(outcome.errorMessage()).contains("refunds.issuer.api-key").contains("refunds.issuer.company-id");
	}

	@Test
	void anUnlistedCodeWhoseMessageIsAboutTheSignStopsTheJobToo() {
		// given a code the settings do not list, about the signature
		SubmitOutcome outcome = outcomes.fromResponse(200, null, error(40013, "Sign error", "签名错误"));

		// then: declining every row for a wrong key would be worse than stopping
		assertThat(outcome.retry()).isEqualTo(Retry.STOP_JOB);
		assertThat(outcome.errorCode()).isEqualTo("40013");
	}

	@Test
	void aMessageThatMerelyContainsTheLettersSignIsDeclined() {
		// when
		SubmitOutcome outcome = outcomes.fromResponse(200, null, error(2003, "Group design locked", "分组锁定"));

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.DECLINED);
	}

	@ParameterizedTest
	@ValueSource(ints = { 401, 403 })
	void http401And403AlwaysStopTheJob(int status) {
		// when
		SubmitOutcome outcome = outcomes.fromResponse(status, null, error(0, "Success", "成功"));

		// then
		assertThat(outcome.retry()).isEqualTo(Retry.STOP_JOB);
		assertThat(outcome.httpStatus()).isEqualTo(status);
	}

	@Test
	void http429IsRetriedAfterRetryAfter() {
		// when
		SubmitOutcome outcome = outcomes.fromResponse(429, "7", "<html>429 Too Many Requests</html>");

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.RETRYABLE);
		assertThat(outcome.retry()).isEqualTo(Retry.NOW);
		assertThat(outcome.retryAfter()).isEqualTo(Duration.ofSeconds(7));
	}

	@ParameterizedTest
	@ValueSource(ints = { 500, 502, 503, 504 })
	void http5xxIsUnknownWhateverTheBody(int status) {
		// when
		SubmitOutcome outcome = outcomes.fromResponse(status, null, error(500, "Internal error", "系统错误"));

		// then: it may have been applied; reconcile, never resend blindly
		assertThat(outcome.status()).isEqualTo(RowStatus.UNKNOWN);
		assertThat(outcome.retry()).isEqualTo(Retry.NONE);
	}

	@Test
	void anUnreadable200IsUnknown() {
		// when
		SubmitOutcome outcome = outcomes.fromResponse(200, null, "<html>hello</html>");

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.UNKNOWN);
		assertThat(outcome.errorCode()).isEqualTo("UNREADABLE_RESPONSE");
	}

	@ParameterizedTest
	@ValueSource(ints = { 404, 405 })
	void aPathThatIsNotTheIssuersStopsTheJob(int status) {
		// when
		SubmitOutcome outcome = outcomes.fromResponse(status, null, "<html>Not Found</html>");

		// then
		assertThat(outcome.retry()).isEqualTo(Retry.STOP_JOB);
		assertThat(outcome.errorMessage()).contains("refunds.issuer.base-url");
	}

	@Test
	void anotherHtml4xxWasNotProcessed() {
		// when
		SubmitOutcome outcome = outcomes.fromResponse(400, null, "<html>Bad Request</html>");

		// then
		assertThat(outcome.status()).isEqualTo(RowStatus.RETRYABLE);
		assertThat(outcome.retry()).isEqualTo(Retry.NONE);
	}

	@Test
	void noConnectionIsRetriedAndALostAnswerIsUnknown() {
		// when
		SubmitOutcome refused = outcomes.fromTransportError(new ConnectException("Connection refused"));
		SubmitOutcome lost = outcomes.fromTransportError(ReadTimeoutException.INSTANCE);

		// then
		assertThat(refused.retry()).isEqualTo(Retry.NOW);
		assertThat(lost.status()).isEqualTo(RowStatus.UNKNOWN);
	}

}
