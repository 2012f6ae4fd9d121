package io.grouprefunds.domain;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An exact amount in one currency, held at exactly the currency's number of decimals.
 *
 * <p>Parsing is strict on purpose: a refund file is typed by people, and "1,000.00", "1e3" or "10.005 USD" must be
 * refused with a reason rather than guessed at. An amount with more decimals than the currency allows is an error,
 * never a rounding.
 */
public record Money(BigDecimal amount, Currency currency) {

	/** Plain decimal: digits, optionally a dot and digits. No sign, exponent, separators or spaces. */
	private static final Pattern PLAIN_DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");

	// Compiled once: parse() runs for every row of a file (String.replaceAll/matches compile on every call).
	private static final Pattern EDGE_SPACES = Pattern.compile("^[\\p{Z}\\s]+|[\\p{Z}\\s]+$");

	private static final Pattern PARENTHESISED = Pattern.compile("\\(.*\\)");

	/**
	 * The most digits an amount may have before the decimal point: the ledger holds NUMERIC(20, 4), and no refund comes
	 * near a quadrillion in any currency.
	 */
	public static final int MAX_INTEGER_DIGITS = 15;

	public Money {
		Objects.requireNonNull(amount, "amount");
		Objects.requireNonNull(currency, "currency");
		int digits = decimalsOf(currency);
		if (amount.scale() > digits && amount.stripTrailingZeros().scale() > digits) {
			throw new IllegalArgumentException(
					"amount " + amount.toPlainString() + " has more decimals than " + currency + " allows (" + digits + ")");
		}
		amount = amount.setScale(digits);
	}

	/**
	 * Parses the text of a CSV amount field.
	 * @throws IllegalArgumentException with a message an operator can act on
	 */
	public static Money parse(String text, Currency currency) {
		if (text == null || text.isEmpty()) {
			throw new IllegalArgumentException("amount is blank");
		}
		if (text.isBlank()) {
			throw new IllegalArgumentException("amount is blank (only spaces)");
		}
		String trimmed = isSpace(text.charAt(0)) || isSpace(text.charAt(text.length() - 1))
				? EDGE_SPACES.matcher(text.strip()).replaceAll("") : text;
		if (!text.equals(trimmed) && PLAIN_DECIMAL.matcher(trimmed).matches()) {
			throw new IllegalArgumentException("amount '" + text + "' has spaces around it");
		}
		if (text.startsWith("-") || text.startsWith("\u2212")
				|| (text.startsWith("(") && PARENTHESISED.matcher(text).matches())) {
			throw new IllegalArgumentException("amount " + text + " is negative");
		}
		if (!PLAIN_DECIMAL.matcher(text).matches()) {
			throw new IllegalArgumentException(explainBadAmount(text));
		}
		BigDecimal value = new BigDecimal(text);
		int digits = decimalsOf(currency);
		if (value.scale() > digits) {
			throw new IllegalArgumentException("amount " + text + " has " + value.scale() + " decimals; " + currency
					+ " allows " + digits);
		}
		if (value.signum() == 0) {
			throw new IllegalArgumentException("amount is zero");
		}
		if (value.precision() - value.scale() > MAX_INTEGER_DIGITS) {
			throw new IllegalArgumentException("amount " + text + " is too large (more than " + MAX_INTEGER_DIGITS
					+ " digits before the decimal point)");
		}
		return new Money(value, currency);
	}

	private static String explainBadAmount(String text) {
		if (text.matches("[0-9]+,[0-9]{1,3}")) {
			return "amount '" + text + "' uses a decimal comma; write it with a dot";
		}
		if (text.matches("[0-9]{1,3}([.'\\p{Z}][0-9]{3})+,[0-9]+")) {
			return "amount '" + text + "' has thousands separators and a decimal comma; write digits and a decimal "
					+ "dot only";
		}
		if (text.matches("[0-9]{1,3}([,'\\p{Z}][0-9]{3})+(\\.[0-9]+)?")) {
			return "amount '" + text + "' has thousands separators; write digits only";
		}
		if (text.matches("(?i)[0-9.]+e[+-]?[0-9]+")) {
			return "amount '" + text + "' is in exponent notation; write it as a plain decimal";
		}
		if (text.startsWith("+")) {
			return "amount '" + text + "' has a sign; write digits only";
		}
		if (text.matches(".*[0-9].*") && text.matches(".*(\\p{Sc}|[A-Za-z]{3}).*")) {
			return "amount '" + text + "' has a currency symbol or code in it; write digits only (the currency "
					+ "goes in the currency column)";
		}
		if (text.matches(".*[\\p{Z}\\s].*")) {
			return "amount '" + text + "' has spaces in it; write digits and a decimal dot only";
		}
		return "amount '" + text + "' is not a plain decimal number (write digits and a decimal dot only, e.g. "
				+ "42.50)";
	}

	/** What strip() or EDGE_SPACES would remove. */
	private static boolean isSpace(char c) {
		return Character.isWhitespace(c) || Character.isSpaceChar(c);
	}

	/** The number of decimals of the currency's minor unit (ISO 4217). */
	public static int decimalsOf(Currency currency) {
		int digits = currency.getDefaultFractionDigits();
		if (digits < 0) {
			throw new IllegalArgumentException(currency + " has no minor unit and cannot be refunded");
		}
		return digits;
	}

	/** The amount as provider JSON wants it: plain, no trailing zeros ({@code 42.6}, {@code 100}). */
	public String toCompactString() {
		return amount.stripTrailingZeros().toPlainString();
	}

	/** The amount at the currency's scale ({@code 42.60}), as reports and the card issuer want it. */
	public String toScaledString() {
		return amount.toPlainString();
	}

	public Money plus(Money other) {
		if (!currency.equals(other.currency)) {
			throw new IllegalArgumentException("cannot add " + other.currency + " to " + currency);
		}
		return new Money(amount.add(other.amount), currency);
	}

	@Override
	public String toString() {
		return amount.toPlainString() + " " + currency.getCurrencyCode();
	}

}
