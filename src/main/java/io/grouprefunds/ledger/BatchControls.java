package io.grouprefunds.ledger;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The control totals an operator gave for a batch, kept with it so a restart checks the same figures.
 *
 * @param expectedRows {@code --expect-rows}: the number of data rows in the file, or null
 * @param expectedTotals {@code --expect-total}: per currency code, what the valid rows must add up to
 * @param maxTotals {@code --max-total}: per currency code, what the valid rows may add up to at most
 */
public record BatchControls(Integer expectedRows, Map<String, BigDecimal> expectedTotals,
		Map<String, BigDecimal> maxTotals) {

	public static final BatchControls NONE = new BatchControls(null, Map.of(), Map.of());

	public BatchControls {
		expectedTotals = Collections.unmodifiableMap(new TreeMap<>(expectedTotals == null ? Map.of() : expectedTotals));
		maxTotals = Collections.unmodifiableMap(new TreeMap<>(maxTotals == null ? Map.of() : maxTotals));
	}

	public boolean isEmpty() {
		return expectedRows == null && expectedTotals.isEmpty() && maxTotals.isEmpty();
	}

	/** Equal figures, whatever the scale they were written with ({@code 100} and {@code 100.00}). */
	public boolean sameAs(BatchControls other) {
		return Objects.equals(expectedRows, other.expectedRows)
				&& sameAmounts(expectedTotals, other.expectedTotals) && sameAmounts(maxTotals, other.maxTotals);
	}

	/** As the operator would type them: {@code --expect-rows 25 --expect-total 1000.00 USD}. */
	public String describe() {
		if (isEmpty()) {
			return "no control totals";
		}
		List<String> parts = new ArrayList<>();
		if (expectedRows != null) {
			parts.add("--expect-rows " + expectedRows);
		}
		expectedTotals.forEach((currency, amount) -> parts.add("--expect-total " + scaled(amount, currency) + " "
				+ currency));
		maxTotals.forEach((currency, amount) -> parts.add("--max-total " + scaled(amount, currency) + " " + currency));
		return String.join(" ", parts);
	}

	/** At the currency's decimals, as the operator would write it: {@code 3.00 USD}, {@code 5000 JPY}. */
	private static String scaled(BigDecimal amount, String currency) {
		try {
			int digits = Currency.getInstance(currency).getDefaultFractionDigits();
			return digits < 0 ? amount.toPlainString() : amount.setScale(digits).toPlainString();
		}
		catch (IllegalArgumentException | ArithmeticException ex) {
			return amount.toPlainString();
		}
	}

	private static boolean sameAmounts(Map<String, BigDecimal> a, Map<String, BigDecimal> b) {
		return a.keySet().equals(b.keySet())
				&& a.entrySet().stream().allMatch(e -> e.getValue().compareTo(b.get(e.getKey())) == 0);
	}

}
