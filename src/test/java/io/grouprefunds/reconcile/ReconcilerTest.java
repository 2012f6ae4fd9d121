package io.grouprefunds.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Currency;

import io.grouprefunds.ledger.Ledger.GroupHistory;
import io.grouprefunds.ledger.LedgerRow;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.provider.GroupState;
import io.grouprefunds.reconcile.Reconciler.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reconciliation table: applied, provably not applied, or left to a person with the evidence. */
class ReconcilerTest {

	private static final Currency USD = Currency.getInstance("USD");

	private static final String GP = "gp_8932172b9ae44d0caa04d5d419b43739";

	private static LedgerRow row(String amount, String currency) {
		return new LedgerRow(11, 1, 5, "rapyd", "r-5", GP, amount == null ? null : new BigDecimal(amount), currency,
				RowStatus.UNKNOWN, 1, "gr-key");
	}

	private static GroupState group(String total, String refunded) {
		return new GroupState(true, USD, new BigDecimal(total), new BigDecimal(refunded));
	}

	private static GroupHistory history(String settled) {
		return new GroupHistory(new BigDecimal(settled), false, 0);
	}

	@Test
	void aGroupTheProviderDoesNotKnowCannotHaveBeenRefunded() {
		// given / when
		Decision decision = Reconciler.decide(row("30.00", "USD"), GroupState.notFound(), history("0"));

		// then
		assertThat(decision.status()).isEqualTo(RowStatus.RETRYABLE);
		assertThat(decision.evidence()).isNotBlank().contains(GP);
	}

	@ParameterizedTest(name = "[{index}] settled {1}, row {2}, provider shows {0} -> {3}")
	@CsvSource(delimiter = '|', textBlock = """
			0      | 0      | 30.00 | RETRYABLE
			30     | 0      | 30.00 | SUCCEEDED
			30.000 | 0.00   | 30.00 | SUCCEEDED
			20     | 20.00  | 30.00 | RETRYABLE
			50.00  | 20.00  | 30.00 | SUCCEEDED
			125    | 95.00  | 30.00 | SUCCEEDED
			10     | 0      | 30.00 | UNKNOWN
			40     | 20.00  | 30.00 | UNKNOWN
			60     | 20.00  | 30.00 | UNKNOWN
			10     | 20.00  | 30.00 | UNKNOWN
			""")
	void aPartialRefundIsDecidedByArithmetic(String refunded, String settled, String amount, RowStatus expected) {
		// given
		LedgerRow row = row(amount, "USD");

		// when
		Decision decision = Reconciler.decide(row, group("125.00", refunded), history(settled));

		// then
		assertThat(decision.status()).isEqualTo(expected);
		assertThat(decision.evidence()).isNotBlank();
	}

	@Test
	void anAmbiguousTotalIsUnknownWithBothNumbersInTheEvidence() {
		// given the provider shows 40 refunded, the ledger 20 settled, and this row is 30
		LedgerRow row = row("30.00", "USD");

		// when
		Decision decision = Reconciler.decide(row, group("125.00", "40.00"), history("20.00"));

		// then
		assertThat(decision.status()).isEqualTo(RowStatus.UNKNOWN);
		assertThat(decision.evidence()).contains("40.00", "20.00", "30.00", "125.00", "USD");
	}

	@Test
	void otherUnsettledRowsOnTheGroupLeaveItUnknown() {
		// given arithmetic that would say SUCCEEDED, but another row on the group may have been sent too
		LedgerRow row = row("30.00", "USD");
		GroupHistory busy = new GroupHistory(BigDecimal.ZERO, false, 2);

		// when
		Decision decision = Reconciler.decide(row, group("125.00", "30.00"), busy);

		// then
		assertThat(decision.status()).isEqualTo(RowStatus.UNKNOWN);
		assertThat(decision.evidence()).contains("2 other unsettled");
	}

	@Test
	void aCurrencyMismatchIsUnknown() {
		// given
		LedgerRow row = row("30.00", "EUR");

		// when
		Decision decision = Reconciler.decide(row, group("125.00", "30.00"), history("0"));

		// then
		assertThat(decision.status()).isEqualTo(RowStatus.UNKNOWN);
		assertThat(decision.evidence()).contains("USD", "EUR");
	}

	@Test
	void aWholeGroupRowIsAppliedWhenEverythingIsRefunded() {
		// given
		LedgerRow whole = row(null, "USD");

		// when
		Decision decision = Reconciler.decide(whole, group("125.00", "125.00"), history("0"));

		// then
		assertThat(decision.status()).isEqualTo(RowStatus.SUCCEEDED);
		assertThat(decision.evidence()).isNotBlank().contains("125.00");
	}

	@Test
	void aWholeGroupRowAfterSettledPartialsIsAppliedWhenTheRestIsRefunded() {
		// given 30 settled earlier, the whole-group row refunds the remaining 95
		LedgerRow whole = row(null, "USD");

		// when
		Decision applied = Reconciler.decide(whole, group("125.00", "125.00"), history("30.00"));
		Decision notApplied = Reconciler.decide(whole, group("125.00", "30.00"), history("30.00"));

		// then
		assertThat(applied.status()).isEqualTo(RowStatus.SUCCEEDED);
		assertThat(notApplied.status()).isEqualTo(RowStatus.RETRYABLE);
	}

	@Test
	void aWholeGroupRowWithNothingRefundedIsRetryable() {
		// given / when
		Decision decision = Reconciler.decide(row(null, "USD"), group("125.00", "0"), history("0"));

		// then
		assertThat(decision.status()).isEqualTo(RowStatus.RETRYABLE);
		assertThat(decision.evidence()).isNotBlank();
	}

	@Test
	void aWholeGroupRowWithAPartialRefundShownIsUnknown() {
		// given / when
		Decision decision = Reconciler.decide(row(null, "USD"), group("125.00", "71.00"), history("0"));

		// then
		assertThat(decision.status()).isEqualTo(RowStatus.UNKNOWN);
		assertThat(decision.evidence()).contains("71.00");
	}

	@Test
	void aSettledWholeGroupRefundMeansThisRowCannotHaveBeenApplied() {
		// given another row refunded the whole group and is settled
		GroupHistory fullyRefunded = new GroupHistory(BigDecimal.ZERO, true, 0);

		// when
		Decision decision = Reconciler.decide(row("30.00", "USD"), group("125.00", "125.00"), fullyRefunded);

		// then
		assertThat(decision.status()).isEqualTo(RowStatus.RETRYABLE);
		assertThat(decision.evidence()).contains("whole-group");
	}

	@ParameterizedTest(name = "[{index}] issuer group: settled {1}, row {2}, provider shows {0} -> {3}")
	@CsvSource(delimiter = '|', textBlock = """
			0      | 0      | 11.36 | RETRYABLE
			11.36  | 0      | 11.36 | SUCCEEDED
			71.36  | 60.00  | 11.36 | SUCCEEDED
			60     | 60.00  | 11.36 | RETRYABLE
			70     | 60.00  | 11.36 | UNKNOWN
			""")
	void aGroupWithNoTotalIsDecidedByItsRefundedFigureAlone(String refunded, String settled, String amount,
			RowStatus expected) {
		// given a card issuer funding group: a refunded total, no group total (its balance moves with card spending)
		GroupState pool = new GroupState(true, USD, null, new BigDecimal(refunded));

		// when
		Decision decision = Reconciler.decide(row(amount, "USD"), pool, history(settled));

		// then
		assertThat(decision.status()).isEqualTo(expected);
		assertThat(decision.evidence()).contains("provider shows " + refunded + " USD refunded;")
			.doesNotContain("null");
	}

	@Test
	void aWholeGroupRefundOnAGroupWithNoTotalCannotBeSizedAndStaysUnknown() {
		// given
		GroupState pool = new GroupState(true, USD, null, new BigDecimal("40.00"));

		// when
		Decision decision = Reconciler.decide(row(null, "USD"), pool, history("0"));

		// then
		assertThat(decision.status()).isEqualTo(RowStatus.UNKNOWN);
		assertThat(decision.evidence()).contains("no group total");
	}

	@Test
	void everyDecisionCarriesEvidence() {
		// given a spread of situations
		Decision[] decisions = { Reconciler.decide(row("1", "USD"), GroupState.notFound(), history("0")),
				Reconciler.decide(row("1", "USD"), group("10", "1"), history("0")),
				Reconciler.decide(row("1", "USD"), group("10", "0"), history("0")),
				Reconciler.decide(row("1", "USD"), group("10", "7"), history("0")),
				Reconciler.decide(row("1", "EUR"), group("10", "1"), history("0")),
				Reconciler.decide(row(null, "USD"), group("10", "10"), history("0")) };

		// when / then
		assertThat(decisions).extracting(Decision::evidence).allSatisfy(e -> assertThat(e).isNotBlank());
	}

}
