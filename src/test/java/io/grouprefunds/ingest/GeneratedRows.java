package io.grouprefunds.ingest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.grouprefunds.ledger.LedgerEntry;
import io.grouprefunds.provider.RowRules;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random refund rows whose validity is known by construction: each field is drawn either from values that are valid
 * or from a catalogue of the mistakes operators make, and says which. The validator's verdict can then be compared
 * with the truth, and a READY row checked by an oracle written independently of the validator.
 */
final class GeneratedRows {

	static final RowRules RAPYD = new RowRules(Pattern.compile("gp_[0-9a-f]{32}"), "a Rapyd group payment id", false,
			Set.of());

	/** The card issuer's shape (issue 5): numeric group ids, an amount on every row, a few currencies. */
	static final RowRules ISSUER = new RowRules(Pattern.compile("[0-9]{1,12}"), "a numeric group id", true,
			Set.of("USD", "EUR", "JPY"));

	/** A per-row cap on USD only, so amounts either side of it are drawn. */
	static final IngestProperties LIMITS = new IngestProperties(4096, 100_000,
			java.util.Map.of("USD", new BigDecimal("5000")));

	private static final List<String> CURRENCIES = List.of("USD", "EUR", "JPY", "KWD", "GBP", "CHF");

	private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

	private GeneratedRows() {
	}

	/** A field's text as it will be written in the file, and whether the validator must accept it. */
	record Field(String text, boolean valid) {

		static Field ok(String text) {
			return new Field(text, true);
		}

		static Field bad(String text) {
			return new Field(text, false);
		}

	}

	/** One generated row; {@code valid} is the truth the validator must find. */
	record Row(Field requestId, Field groupId, Field amount, Field currency, Field reason) {

		boolean valid() {
			return requestId.valid() && groupId.valid() && amount.valid() && currency.valid() && reason.valid();
		}

		/** Every field blank: a spreadsheet's empty row, which is no row at all. */
		boolean blank() {
			return requestId.text().isBlank() && groupId.text().isBlank() && amount.text().isBlank()
					&& currency.text().isBlank() && reason.text().isBlank();
		}

		Row withRequestId(Field id) {
			return new Row(id, groupId, amount, currency, reason);
		}

		CsvRecord record(int line) {
			return new CsvRecord(line, requestId.text(), groupId.text(), amount.text(), currency.text(), reason.text(),
					null);
		}

	}

	static Arbitrary<Row> rows(RowRules rules) {
		Arbitrary<Tuple.Tuple2<Field, Field>> currencyAndAmount = currencies(rules)
			.flatMap(currency -> amounts(currency, rules).map(amount -> Tuple.of(currency, amount)));
		return Combinators.combine(requestIds(), groupIds(rules), currencyAndAmount, reasons())
			.as((id, group, money, reason) -> new Row(id, group, money.get2(), money.get1(), reason));
	}

	static Arbitrary<String> validRequestIds() {
		Arbitrary<Character> first = Arbitraries.of(ID_CHARS.chars().mapToObj(c -> (char) c).toList());
		Arbitrary<String> rest = Arbitraries.strings().withChars(ID_CHARS + "._:-").ofMaxLength(30);
		return Combinators.combine(first, rest).as((f, r) -> f + r);
	}

	static Arbitrary<Field> requestIds() {
		Arbitrary<Field> valid = validRequestIds().map(Field::ok);
		Arbitrary<Field> invalid = Arbitraries.oneOf(Arbitraries.just(Field.bad("")),
				Arbitraries.strings().withChars(ID_CHARS).ofLength(65).map(Field::bad),
				validRequestIds().map(id -> Field.bad(id + " x")), validRequestIds().map(id -> Field.bad(id + "/")),
				validRequestIds().map(id -> Field.bad(" " + id)), validRequestIds().map(id -> Field.bad(id + "\u00e9")),
				validRequestIds().map(id -> Field.bad("-" + id)), validRequestIds().map(id -> Field.bad("=" + id)),
				validRequestIds().map(id -> Field.bad("\"" + id + ",")));
		return Arbitraries.frequencyOf(Tuple.of(6, valid), Tuple.of(1, invalid));
	}

	static Arbitrary<Field> groupIds(RowRules rules) {
		Arbitrary<String> hex32 = Arbitraries.strings().withChars("0123456789abcdef").ofLength(32);
		Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(12);
		boolean numeric = rules == ISSUER;
		Arbitrary<Field> valid = numeric ? digits.map(Field::ok) : hex32.map(h -> Field.ok("gp_" + h));
		Arbitrary<Field> invalid = Arbitraries.oneOf(Arbitraries.just(Field.bad("")),
				hex32.map(h -> Field.bad("gp_A" + h.substring(1).toUpperCase())), hex32.map(h -> Field.bad("gp_" + h.substring(1))),
				numeric ? hex32.map(h -> Field.bad("gp_" + h)) : digits.map(Field::bad),
				(numeric ? digits : hex32.map(h -> "gp_" + h)).map(g -> Field.bad(g + " ")),
				Arbitraries.just(Field.bad("group?")));
		return Arbitraries.frequencyOf(Tuple.of(6, valid), Tuple.of(1, invalid));
	}

	static Arbitrary<Field> currencies(RowRules rules) {
		List<String> allowed = rules.currencies().isEmpty() ? CURRENCIES : List.copyOf(rules.currencies());
		List<Field> invalid = new ArrayList<>(List.of(Field.bad(""), Field.bad("usd"), Field.bad("XYZ"), Field.bad("XAU"),
				Field.bad("US$"), Field.bad("EURO"), Field.bad(" EUR")));
		CURRENCIES.stream().filter(c -> !allowed.contains(c)).map(Field::bad).forEach(invalid::add);
		return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(allowed).map(Field::ok)),
				Tuple.of(1, Arbitraries.of(invalid)));
	}

	/** Amounts for a currency: valid ones written in the accepted ways, and the usual mistakes. */
	static Arbitrary<Field> amounts(Field currency, RowRules rules) {
		if (!currency.valid()) {
			// the validator cannot judge an amount without its currency; the row is rejected either way
			return Arbitraries.of("10.00", "abc", "", "1,5").map(Field::bad);
		}
		Currency cur = Currency.getInstance(currency.text());
		int digits = cur.getDefaultFractionDigits();
		BigDecimal cap = LIMITS.maxAmountFor(cur).orElse(null);
		Arbitrary<Long> units = Arbitraries.oneOf(Arbitraries.longs().between(1, 100_000),
				Arbitraries.longs().between(1, 999_999_999_999_999L));
		Arbitrary<Field> written = units.map(u -> BigDecimal.valueOf(u, digits)).flatMap(value -> {
			boolean withinCap = cap == null || value.compareTo(cap) <= 0;
			String plain = value.toPlainString();
			String stripped = value.signum() == 0 ? plain : value.stripTrailingZeros().toPlainString();
			String variant = stripped.contains("E") ? plain : stripped;
			return Arbitraries.of(plain, variant, "00" + plain).map(text -> new Field(text, withinCap));
		});
		Arbitrary<Field> mistakes = units.map(u -> BigDecimal.valueOf(u, digits))
			.flatMap(value -> Arbitraries.of("0", "0." + "0".repeat(Math.max(digits, 1)), "-" + value.toPlainString(),
					BigDecimal.valueOf(value.unscaledValue().longValue() * 10 + 5, digits + 1).toPlainString(),
					value.toPlainString().replace('.', ',') + (digits == 0 ? ",5" : ""), "1,234.00", "1e3",
					" " + value.toPlainString(), value.toPlainString() + "\u00a0", "abc", "$" + value.toPlainString(),
					"+" + value.toPlainString(), "   ", "1234567890123456", "(" + value.toPlainString() + ")"))
			.map(Field::bad);
		Field blank = new Field("", !rules.amountRequired());
		return Arbitraries.frequencyOf(Tuple.of(6, written), Tuple.of(2, mistakes), Tuple.of(1, Arbitraries.just(blank)));
	}

	static Arbitrary<Field> reasons() {
		Arbitrary<String> text = Arbitraries.strings()
			.withCharRange(' ', '~')
			.withChars('é', '€', '"', '\u00a0', '\t')
			.ofMaxLength(60);
		Arbitrary<Field> valid = Arbitraries.oneOf(text, text.map(t -> t.replace(",", ";") + "\nsecond line"))
			.map(Field::ok);
		Arbitrary<Field> tooLong = Arbitraries.strings().withChars("xyz").ofMinLength(501).ofMaxLength(600)
			.map(Field::bad);
		return Arbitraries.frequencyOf(Tuple.of(12, valid), Tuple.of(1, tooLong));
	}

	/**
	 * What is wrong with a READY entry, checked without the validator's code: empty when it is fit to send. Written
	 * from the file format's definition (docs/input-and-reports.md), not from the validator.
	 */
	static List<String> independentProblems(LedgerEntry entry, RowRules rules, IngestProperties limits) {
		List<String> problems = new ArrayList<>();
		if (entry.requestId() == null || !entry.requestId().matches("[A-Za-z0-9][A-Za-z0-9._:\\-]{0,63}")) {
			problems.add("request_id " + entry.requestId());
		}
		if (entry.groupId() == null || !rules.groupIdPattern().matcher(entry.groupId()).matches()) {
			problems.add("group_id " + entry.groupId());
		}
		Currency currency = null;
		try {
			currency = Currency.getInstance(entry.currency());
		}
		catch (RuntimeException ex) {
			problems.add("currency " + entry.currency());
		}
		if (currency != null && (currency.getDefaultFractionDigits() < 0
				|| !rules.currencies().isEmpty() && !rules.currencies().contains(entry.currency()))) {
			problems.add("currency " + entry.currency());
		}
		if (entry.amount() == null) {
			if (rules.amountRequired() || !entry.amountText().isEmpty()) {
				problems.add("no amount");
			}
		}
		else if (currency != null) {
			BigDecimal written = entry.amountText().matches("[0-9]+(\\.[0-9]+)?") ? new BigDecimal(entry.amountText())
					: null;
			if (written == null || written.compareTo(entry.amount()) != 0) {
				problems.add("amount text " + entry.amountText() + " is not " + entry.amount());
			}
			if (entry.amount().signum() <= 0
					|| entry.amount().stripTrailingZeros().scale() > currency.getDefaultFractionDigits()
					|| written != null && written.scale() > currency.getDefaultFractionDigits()
					|| entry.amount().precision() - entry.amount().scale() > 15) {
				problems.add("amount " + entry.amount());
			}
			BigDecimal cap = limits.maxAmount().get(entry.currency());
			if (cap != null && entry.amount().compareTo(cap) > 0) {
				problems.add("amount above cap " + entry.amount());
			}
		}
		if (entry.reason() != null && entry.reason().length() > 500) {
			problems.add("reason length");
		}
		if (entry.idempotencyKey() == null
				|| !entry.idempotencyKey().equals(RefundRowValidator.idempotencyKey("rapyd", entry.requestId()))
						&& !entry.idempotencyKey().equals(RefundRowValidator.idempotencyKey("issuer", entry.requestId()))) {
			problems.add("idempotency key");
		}
		return problems;
	}

}
