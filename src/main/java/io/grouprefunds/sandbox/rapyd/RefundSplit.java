package io.grouprefunds.sandbox.rapyd;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a group refund over its payments in proportion to each payment's share of the group total.
 *
 * <p>Rapyd does not document its rounding. Here each share is rounded down to the currency's scale and capped at what
 * the payment has left, then the remainder goes to the last payment that can take it: the parts then sum to the refund
 * exactly and no payment is refunded above its amount.
 */
final class RefundSplit {

	private RefundSplit() {
	}

	/**
	 * @param refund the amount to split, at {@code scale}, at most the sum of {@code remaining}
	 * @param amounts each payment's amount: the weights
	 * @param remaining what each payment has not had refunded yet
	 * @return each payment's part, in the order of {@code amounts}
	 */
	static List<BigDecimal> split(BigDecimal refund, List<BigDecimal> amounts, List<BigDecimal> remaining, int scale) {
		BigDecimal total = amounts.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
		BigDecimal[] parts = new BigDecimal[amounts.size()];
		BigDecimal left = refund;
		for (int i = 0; i < parts.length; i++) {
			// Rounding down keeps the sum at or below the refund, so the remainder is never negative.
			parts[i] = refund.multiply(amounts.get(i))
				.divide(total, scale, RoundingMode.DOWN)
				.min(remaining.get(i));
			left = left.subtract(parts[i]);
		}
		for (int i = parts.length - 1; i >= 0 && left.signum() > 0; i--) {
			BigDecimal extra = left.min(remaining.get(i).subtract(parts[i]));
			parts[i] = parts[i].add(extra);
			left = left.subtract(extra);
		}
		if (left.signum() != 0) {
			throw new IllegalArgumentException("refund " + refund + " exceeds what the payments have left");
		}
		return Arrays.asList(parts);
	}

}
