package io.grouprefunds.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;

import io.grouprefunds.provider.GroupState;
import org.junit.jupiter.api.Test;

/** The preflight's table: which rows of a group cannot succeed, known before anything is sent. */
class PreflightRuleTest {

	private static final Currency EUR = Currency.getInstance("EUR");

	private static final String GP = "gp_8932172b9ae44d0caa04d5d419b43739";

	private static GroupState closed(String total, String refunded) {
		BigDecimal t = new BigDecimal(total);
		BigDecimal r = new BigDecimal(refunded);
		return new GroupState(true, EUR, t, r, "closed", true, t.subtract(r), List.of());
	}

	private static PreflightRule.Row row(int line, String amount, String currency) {
		return new PreflightRule.Row(line, line, GP, amount == null ? null : new BigDecimal(amount), currency);
	}

	@Test
	void rowsThatFitPass() {
		// when
		List<PreflightRule.Rejection> rejected = PreflightRule.decide(closed("125", "0"),
				List.of(row(2, "71.00", "EUR"), row(3, "54.00", "EUR")));

		// then
		assertThat(rejected).isEmpty();
	}

	@Test
	void anotherCurrencyIsRejectedAndSaysWhichTheGroupIsIn() {
		// when
		List<PreflightRule.Rejection> rejected = PreflightRule.decide(closed("125", "0"), List.of(row(2, "5", "GBP")));

		// then
		assertThat(rejected).singleElement()
			.satisfies(r -> assertThat(r.reason()).isEqualTo("preflight: group " + GP + " is in EUR, the row says GBP "
					+ "(the provider would refund EUR); nothing was sent"));
	}

	@Test
	void earlierRowsOfTheGroupInTheFileCount() {
		// given 50 still refundable; lines 2 and 3 take 30 and 15; line 4 wants 10 more
		GroupState group = closed("125", "75");

		// when
		List<PreflightRule.Rejection> rejected = PreflightRule.decide(group,
				List.of(row(2, "30", "EUR"), row(3, "15", "EUR"), row(4, "10", "EUR"), row(5, "5", "EUR")));

		// then: line 4 does not fit, line 5 still does
		assertThat(rejected).singleElement().satisfies(r -> {
			assertThat(r.row().lineNumber()).isEqualTo(4);
			assertThat(r.reason()).contains("10 EUR is more than the 5 still refundable").contains("after line(s) 2, 3");
		});
	}

	@Test
	void aWholeGroupRowTakesWhatIsLeftAndNothingFitsAfterIt() {
		// when
		List<PreflightRule.Rejection> rejected = PreflightRule.decide(closed("125", "25"),
				List.of(row(2, null, "EUR"), row(3, "1", "EUR"), row(4, null, "EUR")));

		// then
		assertThat(rejected).extracting(r -> r.row().lineNumber()).containsExactly(3, 4);
		assertThat(rejected.get(1).reason()).contains("nothing is left to refund").contains("after line(s) 2");
	}

	@Test
	void anUnknownOrNotClosedGroupRejectsEveryRow() {
		// given
		GroupState active = new GroupState(true, EUR, new BigDecimal("125"), BigDecimal.ZERO, "active", false,
				new BigDecimal("125"), List.of());

		// when / then
		assertThat(PreflightRule.decide(GroupState.notFound(), List.of(row(2, "1", "EUR"), row(3, "1", "EUR"))))
			.hasSize(2)
			.allSatisfy(r -> assertThat(r.reason()).contains("does not know group"));
		assertThat(PreflightRule.decide(active, List.of(row(2, "1", "EUR")))).singleElement()
			.satisfies(r -> assertThat(r.reason()).contains("is 'active'").contains("only a closed group payment"));
	}

	@Test
	void aProviderThatDoesNotSayWhatIsLeftIsCheckedForCurrencyOnly() {
		// given an issuer group without a balance figure
		GroupState pool = new GroupState(true, EUR, null, new BigDecimal("40.00"));

		// when / then
		assertThat(PreflightRule.decide(pool, List.of(row(2, "1000000", "EUR")))).isEmpty();
	}

}
