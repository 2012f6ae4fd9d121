package io.grouprefunds.ingest;

import io.grouprefunds.domain.IdempotencyKey;
import io.grouprefunds.domain.Money;

import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

import io.grouprefunds.ledger.LedgerEntry;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.provider.RowRules;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Validates one CSV row on its own (duplicates across rows are the ingest writer's job) and turns it into a ledger
 * entry: READY with exact values, or REJECTED with every reason found, so the operator fixes a row once. Never
 * filters a row out: every CSV row gets a ledger row.
 */
public class RefundRowValidator implements ItemProcessor<CsvRecord, LedgerEntry> {

	private static final int MAX_REQUEST_ID = 64;

	private static final int MAX_REASON = 500;

	private final String provider;

	private final RowRules rules;

	private final IngestProperties limits;

	public RefundRowValidator(String provider, RowRules rules) {
		this(provider, rules, IngestProperties.defaults());
	}

	/** @param limits the per-row maximum amount per currency comes from here */
	public RefundRowValidator(String provider, RowRules rules, IngestProperties limits) {
		this.provider = provider;
		this.rules = rules;
		this.limits = limits;
	}

	@Override
	public LedgerEntry process(CsvRecord row) {
		List<String> problems = new ArrayList<>();
		if (row.shapeProblem() != null) {
			problems.add(row.shapeProblem());
		}
		String requestId = row.requestId();
		if (requestId == null || requestId.isEmpty()) {
			problems.add("request_id is missing");
		}
		else if (requestId.length() > MAX_REQUEST_ID) {
			problems.add("request_id is " + requestId.length() + " characters long; at most " + MAX_REQUEST_ID);
		}
		else if (hasSpacesAround(requestId) && isRequestId(stripSpaces(requestId))) {
			problems.add("request_id '" + requestId + "' has spaces around it");
		}
		else if (!isRequestId(requestId)) {
			problems.add("request_id '" + requestId + "' may only contain letters, digits and . _ : -, and must "
					+ "start with a letter or digit");
		}
		String groupId = row.groupId();
		if (groupId == null || groupId.isEmpty()) {
			problems.add("group_id is missing");
		}
		else if (!rules.groupIdPattern().matcher(groupId).matches()) {
			boolean spaces = hasSpacesAround(groupId) && rules.groupIdPattern().matcher(stripSpaces(groupId)).matches();
			problems.add("group_id '" + groupId + "' " + (spaces ? "has spaces around it" : "is not "
					+ rules.groupIdDescription()));
		}
		Currency currency = currency(row.currency(), problems);
		Money amount = null;
		String amountText = row.amount() == null ? "" : row.amount();
		if (amountText.isEmpty()) {
			if (rules.amountRequired()) {
				problems.add("amount is missing; " + provider + " needs an amount on every row");
			}
		}
		else if (currency != null) {
			try {
				amount = Money.parse(amountText, currency);
			}
			catch (IllegalArgumentException ex) {
				problems.add(ex.getMessage());
			}
			Money parsed = amount;
			limits.maxAmountFor(currency)
				.filter(max -> parsed != null && parsed.amount().compareTo(max) > 0)
				.ifPresent(max -> problems.add("amount " + parsed.toScaledString() + " " + currency
						+ " is above the per-row maximum of " + max.toPlainString() + " " + currency
						+ " (refunds.ingest.max-amount." + currency + ")"));
			// Refused here rather than by the provider: a row that cannot be written on the wire is never sent.
			if (amount != null && rules.maxAmountLength() > 0
					&& amount.toScaledString().length() > rules.maxAmountLength()) {
				problems.add("amount " + amount.toScaledString() + " is " + amount.toScaledString().length()
						+ " characters at " + currency + "'s scale; " + provider + " takes at most "
						+ rules.maxAmountLength());
				amount = null;
			}
		}
		String reason = row.reason();
		if (reason != null && reason.length() > MAX_REASON) {
			problems.add("reason is longer than " + MAX_REASON + " characters");
		}
		if (problems.isEmpty()) {
			return new LedgerEntry(row.lineNumber(), requestId, groupId, amount == null ? null : amount.amount(),
					amountText, currency.getCurrencyCode(), reason, RowStatus.READY, null,
					idempotencyKey(provider, requestId), row.fieldsFromValues() ? List.of() : row.fields());
		}
		return new LedgerEntry(row.lineNumber(), cut(requestId, 100), cut(groupId, 100), null, cut(amountText, 64),
				cut(row.currency(), 3), cut(reason, MAX_REASON), RowStatus.REJECTED, String.join("; ", problems),
				null, row.fields());
	}

	/**
	 * {@code [A-Za-z0-9][A-Za-z0-9._:-]*}: letters, digits and {@code . _ : -}, starting with a letter or digit, never a
	 * character a spreadsheet would take for a formula, so the id in every report is the id in the ledger. A loop, not
	 * a regular expression: it runs for every row.
	 */
	static boolean isRequestId(String value) {
		if (value.isEmpty() || !isAsciiLetterOrDigit(value.charAt(0))) {
			return false;
		}
		for (int i = 1; i < value.length(); i++) {
			char c = value.charAt(i);
			if (!isAsciiLetterOrDigit(c) && c != '.' && c != '_' && c != ':' && c != '-') {
				return false;
			}
		}
		return true;
	}

	/** {@code [A-Z]{3}}. */
	static boolean isCurrencyCode(String value) {
		return value.length() == 3 && isUpper(value.charAt(0)) && isUpper(value.charAt(1)) && isUpper(value.charAt(2));
	}

	private static boolean isAsciiLetterOrDigit(char c) {
		return isUpper(c) || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
	}

	private static boolean isUpper(char c) {
		return c >= 'A' && c <= 'Z';
	}

	private static boolean hasSpacesAround(String value) {
		return !value.isEmpty() && (isSpace(value.charAt(0)) || isSpace(value.charAt(value.length() - 1)));
	}

	private static String stripSpaces(String value) {
		return value.replaceAll("^[\\p{Z}\\s]+|[\\p{Z}\\s]+$", "");
	}

	private static boolean isSpace(char c) {
		return Character.isWhitespace(c) || Character.isSpaceChar(c);
	}

	private Currency currency(String code, List<String> problems) {
		if (code == null || code.isEmpty()) {
			problems.add("currency is missing");
			return null;
		}
		if (hasSpacesAround(code) && isCurrencyCode(stripSpaces(code))) {
			problems.add("currency '" + code + "' has spaces around it");
			return null;
		}
		if (!isCurrencyCode(code)) {
			problems.add("currency '" + code + "' is not a 3-letter ISO 4217 code in capitals");
			return null;
		}
		Currency currency;
		try {
			currency = Currency.getInstance(code);
		}
		catch (IllegalArgumentException ex) {
			problems.add("currency '" + code + "' is not an ISO 4217 currency");
			return null;
		}
		if (currency.getDefaultFractionDigits() < 0) {
			problems.add("currency " + code + " has no minor unit and cannot be refunded");
			return null;
		}
		if (!rules.currencies().isEmpty() && !rules.currencies().contains(code)) {
			problems.add("currency " + code + " is not accepted by " + provider);
			return null;
		}
		return currency;
	}

	/**
	 * The refund's idempotency key, the same whenever and however often this refund is sent: derived from what
	 * identifies the refund (provider and request_id), never random per attempt.
	 */
	public static String idempotencyKey(String provider, String requestId) {
		return IdempotencyKey.of(provider, requestId);
	}

	private static String cut(String value, int max) {
		return value == null || value.length() <= max ? value : value.substring(0, max);
	}

}
