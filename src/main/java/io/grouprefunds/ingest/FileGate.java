package io.grouprefunds.ingest;

import io.grouprefunds.domain.Money;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.grouprefunds.ledger.BatchControls;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.ledger.StatusTotal;

/**
 * The file gate's last word, once every row is validated and recorded and before anything is sent: the file has
 * data rows, and the operator's control totals hold.
 *
 * <p>What is compared, and why:
 * <ul>
 * <li>{@code --expect-rows} counts the file's data rows, valid or not: it checks that the file is the one meant, and
 * complete, not how many rows passed validation (the report shows that).
 * <li>{@code --expect-total} and {@code --max-total} add up the valid rows only: what would move. A rejected row's
 * amount is left out, so a file with rejected rows fails an expected total that counted them: fix the rows, or
 * expect only what is valid.
 * <li>A whole-group refund (no amount) has no amount before the provider answers: a total over a currency that has
 * one cannot be checked, and refuses the file rather than pass a total that leaves money out.
 * <li>Once a total option is given, every currency with valid rows must have one: an unexpected currency refuses
 * the file.
 * </ul>
 */
public final class FileGate {

	private FileGate() {
	}

	/**
	 * Reads an amount option as the operator typed it ({@code --expect-total 1000.00 USD}), as strictly as a file's
	 * amount.
	 * @throws IllegalArgumentException with a message that names the option
	 */
	public static Money amountOption(String option, String amount, String currency) {
		String code = currency == null ? "" : currency.strip();
		if (!code.matches("[A-Za-z]{3}") && amount != null && amount.strip().matches("[A-Za-z]{3}")) {
			throw new IllegalArgumentException(option + " " + amount + " " + currency
					+ ": write the amount first, then the currency, e.g. " + option + " 1000.00 USD");
		}
		Currency parsed;
		try {
			parsed = Currency.getInstance(code.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(option + " " + amount + " " + currency + ": '" + currency
					+ "' is not an ISO 4217 currency code; write e.g. " + option + " 1000.00 USD");
		}
		try {
			return Money.parse(amount, parsed);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(option + " " + amount + " " + currency + ": " + ex.getMessage());
		}
	}

	/**
	 * @param totals the batch's rows per status and currency, as recorded by ingest
	 * @return what does not hold, one sentence each; empty when the file may be sent
	 */
	public static List<String> problems(BatchControls controls, List<StatusTotal> totals) {
		List<String> problems = new ArrayList<>();
		int dataRows = totals.stream().mapToInt(StatusTotal::rows).sum();
		if (dataRows == 0) {
			problems.add("the file has a header but no data rows");
			return problems;
		}
		if (controls.expectedRows() != null && controls.expectedRows() != dataRows) {
			problems.add("the file has " + dataRows + " data row(s), but --expect-rows says " + controls.expectedRows()
					+ (dataRows < controls.expectedRows() ? " (is the file complete?)" : ""));
		}
		Map<String, Figures> figures = new TreeMap<>();
		for (StatusTotal total : totals) {
			Figures f = figures.computeIfAbsent(total.currency(), c -> new Figures());
			if (total.status() == RowStatus.REJECTED) {
				f.rejectedRows += total.rows();
			}
			else {
				f.validRows += total.rows();
				f.validAmount = f.validAmount.add(total.amount());
				f.wholeGroups += total.fullRefunds();
			}
		}
		check("--expect-total", controls.expectedTotals(), figures, problems);
		check("--max-total", controls.maxTotals(), figures, problems);
		return problems;
	}

	/** @throws FileRefusedException when a control does not hold */
	public static void check(BatchControls controls, List<StatusTotal> totals) {
		List<String> problems = problems(controls, totals);
		if (!problems.isEmpty()) {
			throw new FileRefusedException(String.join("; ", problems));
		}
	}

	private static void check(String option, Map<String, BigDecimal> given, Map<String, Figures> figures,
			List<String> problems) {
		if (given.isEmpty()) {
			return;
		}
		for (String currency : new TreeSet<>(figures.keySet())) {
			Figures f = figures.get(currency);
			if (f.validRows > 0 && !given.containsKey(currency)) {
				problems.add("the file has " + f.validRows + " valid " + currency + " row(s) (" + amount(f.validAmount,
						currency) + ") but no " + option + " for " + currency);
			}
		}
		given.forEach((currency, limit) -> {
			Figures f = figures.getOrDefault(currency, new Figures());
			if (f.wholeGroups > 0) {
				problems.add(option + " " + amount(limit, currency) + " cannot be checked: " + f.wholeGroups + " "
						+ currency + " row(s) refund a whole group (no amount), whose amount is only known when the "
						+ "provider answers; write their amounts in the file, or leave out " + option + " " + currency);
				return;
			}
			boolean expected = option.equals("--expect-total");
			boolean wrong = expected ? f.validAmount.compareTo(limit) != 0 : f.validAmount.compareTo(limit) > 0;
			if (wrong) {
				problems.add("the valid " + currency + " rows add up to " + amount(f.validAmount, currency)
						+ (expected ? ", not " : ", above ") + option + " " + amount(limit, currency)
						+ (f.rejectedRows > 0 ? " (" + f.rejectedRows + " " + currency + " row(s) were REJECTED and "
								+ "do not count: see the rejected rows)" : ""));
			}
		});
	}

	private static String amount(BigDecimal value, String currency) {
		try {
			return value.setScale(Money.decimalsOf(Currency.getInstance(currency))).toPlainString() + " " + currency;
		}
		catch (IllegalArgumentException | ArithmeticException ex) {
			return value.toPlainString() + " " + currency;
		}
	}

	/** One currency's rows at the gate. */
	private static final class Figures {

		int validRows;

		BigDecimal validAmount = BigDecimal.ZERO;

		int wholeGroups;

		int rejectedRows;

	}

}
