package io.grouprefunds.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.IntStream;

import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.domain.SubmitOutcome;
import io.grouprefunds.ledger.LedgerRow;
import org.junit.jupiter.api.Test;

/** Outcome lines say what the answer had, and nothing it did not have: no "null". */
class OutcomeLogTest {

	@Test
	void aRowWithoutAnAnswerHasNoHttpStatusOrOperationInItsLine() {
		SubmitOutcome noAnswer = SubmitOutcome.unknown(null, null, "NO_RESPONSE",
				"sent, no answer (ReadTimeoutException): the refund may have been applied");

		assertThat(OutcomeLog.rowLine(row(42), noAnswer)).isEqualTo("line 42 request r-42 group gp_42: UNKNOWN "
				+ "NO_RESPONSE sent, no answer (ReadTimeoutException): the refund may have been applied");
	}

	@Test
	void aDeclinedRowNamesTheProvidersStatusAndOperation() {
		SubmitOutcome declined = SubmitOutcome.of(RowStatus.DECLINED, 400, "op_1", null, "AMOUNT_TOO_HIGH",
				"exceeds the refundable amount");

		assertThat(OutcomeLog.rowLine(row(7), declined)).isEqualTo("line 7 request r-7 group gp_7: DECLINED "
				+ "AMOUNT_TOO_HIGH exceeds the refundable amount (HTTP 400, operation op_1)");
	}

	@Test
	void manyRowsEndingAlikeShareOneLineNamingTheirLines() {
		SubmitOutcome outage = SubmitOutcome.unknown(503, null, "SERVER_ERROR", "HTTP 503: the refund may have been "
				+ "applied");
		List<RowResult> rows = IntStream.of(41, 42, 43, 44, 46, 48, 49)
			.mapToObj(line -> new RowResult(new ClaimedRow(row(line), null, null), outage, false))
			.toList();

		assertThat(OutcomeLog.sharedLine(rows)).isEqualTo("7 rows UNKNOWN SERVER_ERROR (lines 41-44, 46, 48-49), "
				+ "e.g. line 41 request r-41: HTTP 503: the refund may have been applied (HTTP 503)");
	}

	@Test
	void anExceptionIsToldByItsMostSpecificCauseNeverAsNull() {
		Exception timeout = new RuntimeException(null, new java.util.concurrent.TimeoutException());
		Exception refused = new IllegalStateException("wrapped",
				new java.net.ConnectException("Connection refused"));

		assertThat(Failures.describe(timeout)).isEqualTo("TimeoutException");
		assertThat(Failures.describe(refused)).isEqualTo("ConnectException: Connection refused");
	}

	@Test
	void durationsAreToldAsSetNotRoundedToZero() {
		assertThat(BreakerGate.text(java.time.Duration.ofMillis(200))).isEqualTo("200 ms");
		assertThat(BreakerGate.text(java.time.Duration.ofMillis(1500))).isEqualTo("1.5 s");
		assertThat(BreakerGate.text(java.time.Duration.ofSeconds(10))).isEqualTo("10 s");
		assertThat(BreakerGate.text(java.time.Duration.ofMinutes(5))).isEqualTo("5 min");
	}

	private static LedgerRow row(int line) {
		return new LedgerRow(line, 1, line, "rapyd", "r-" + line, "gp_" + line, new BigDecimal("10.00"), "USD",
				RowStatus.SENDING, 1, "key-" + line);
	}

}
