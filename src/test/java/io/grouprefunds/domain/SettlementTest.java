package io.grouprefunds.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The part-status rule: a row's status from the refund parts its own request created. */
class SettlementTest {

	private static RefundPart part(String id, String amount, String status) {
		return new RefundPart(id, "payment_" + id, amount == null ? null : new BigDecimal(amount), "USD", status,
				RefundPart.rapydState(status), null, null, status.equals("Rejected") ? "issuer declined" : null);
	}

	/** Parts written as {@code amount:status}, space separated. */
	private static List<RefundPart> parts(String spec) {
		List<RefundPart> parts = new ArrayList<>();
		if (spec.isBlank()) {
			return parts;
		}
		int n = 0;
		for (String each : spec.trim().split(" ")) {
			String[] fields = each.split(":");
			parts.add(part("r" + n++, fields[0], fields[1]));
		}
		return parts;
	}

	@ParameterizedTest(name = "[{index}] {0} for {1} -> {2}, {3} went through")
	@CsvSource(delimiter = '|', textBlock = """
			42.6:Completed 28.4:Completed | 71.00 | SUCCEEDED   | 71.00
			42.6:Completed 28.4:Pending   | 71.00 | PENDING     | 42.60
			42.6:Pending 28.4:Rejected    | 71.00 | PENDING     | 0.00
			42.6:Rejected 28.4:Error      | 71.00 | DECLINED    | 0.00
			71:Cancelled                  | 71.00 | DECLINED    | 0.00
			42.6:Completed 28.4:Rejected  | 71.00 | DISCREPANCY | 42.60
			42.6:Completed 28.4:Error     | 71.00 | DISCREPANCY | 42.60
			50:Completed                  | 71.00 | DISCREPANCY | 50.00
			42.6:Completed 28.4:Completed |       | SUCCEEDED   | 71.00
			71:completed                  | 71    | SUCCEEDED   | 71.00
			71:Refunding                  | 71    | PENDING     | 0.00
			""")
	void theRowIsWhatItsPartsSay(String parts, String rowAmount, RowStatus expected, String refunded) {
		// when
		Settlement settlement = Settlement.of(parts(parts), rowAmount == null ? null : new BigDecimal(rowAmount),
				"USD", "USD");

		// then
		assertThat(settlement.status()).isEqualTo(expected);
		assertThat(settlement.refundedAmount()).isEqualByComparingTo(refunded);
		assertThat(settlement.refundedAmount().scale()).isEqualTo(2);
		assertThat(settlement.refundedCurrency()).isEqualTo("USD");
	}

	@Test
	void noPartKnownYetIsPending() {
		// when the answer listed no refund object ("refunds": null)
		Settlement settlement = Settlement.of(List.of(), new BigDecimal("10.00"), "USD", "USD");

		// then
		assertThat(settlement.status()).isEqualTo(RowStatus.PENDING);
		assertThat(settlement.refundedAmount()).isEqualByComparingTo("0");
		assertThat(settlement.refundStatus()).isNull();
	}

	@Test
	void anotherCurrencyIsADiscrepancyWithWhatWasRefundedInIt() {
		// when a GBP row was refunded in the group's EUR
		Settlement settlement = Settlement.of(List.of(part("r1", "5", "Completed")), new BigDecimal("5.00"), "GBP",
				"EUR");

		// then
		assertThat(settlement.status()).isEqualTo(RowStatus.DISCREPANCY);
		assertThat(settlement.refundedAmount()).isEqualByComparingTo("5.00");
		assertThat(settlement.refundedCurrency()).isEqualTo("EUR");
		assertThat(settlement.message()).isEqualTo("the provider refunded 5.00 EUR; the row asked for GBP");
	}

	@Test
	void aDeclineKeepsTheProvidersStatusesAndReasons() {
		// when
		Settlement settlement = Settlement.of(List.of(part("refund_a", "42.6", "Rejected"),
				part("refund_b", "28.4", "Error")), new BigDecimal("71.00"), "USD", "USD");

		// then
		assertThat(settlement.status()).isEqualTo(RowStatus.DECLINED);
		assertThat(settlement.refundStatus()).isEqualTo("Rejected,Error");
		assertThat(settlement.message()).contains("refund_a Rejected: issuer declined").contains("refund_b Error");
	}

	@Test
	void mixedPartsSayHowMuchWentThroughAndWhatDidNot() {
		// when
		Settlement settlement = Settlement.of(List.of(part("refund_a", "42.6", "Completed"),
				part("refund_b", "28.4", "Rejected")), new BigDecimal("71.00"), "USD", "USD");

		// then
		assertThat(settlement.message()).startsWith("parts ended differently: 42.60 USD went through, 28.40 did not")
			.contains("refund_b Rejected");
		assertThat(settlement.refundStatus()).isEqualTo("Completed,Rejected");
	}

	@Test
	void withoutTheProvidersCurrencyThePartsCurrencyIsCompared() {
		// when
		Settlement settlement = Settlement.of(List.of(part("r1", "5", "Completed")), new BigDecimal("5.00"), "EUR",
				null);

		// then
		assertThat(settlement.status()).isEqualTo(RowStatus.DISCREPANCY);
		assertThat(settlement.refundedCurrency()).isEqualTo("USD");
	}

	@Test
	void finalSetsFollowTheLifecycle() {
		assertThat(RowStatus.FINAL).doesNotContain(RowStatus.PENDING).contains(RowStatus.DISCREPANCY);
		assertThat(RowStatus.OPEN).containsExactlyInAnyOrder(RowStatus.SENDING, RowStatus.UNKNOWN, RowStatus.PENDING);
		assertThat(RowStatus.NEEDS_A_PERSON).contains(RowStatus.DISCREPANCY, RowStatus.DECLINED, RowStatus.REJECTED);
	}

}
