package io.grouprefunds.ledger;

import io.grouprefunds.domain.RowStatus;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A row as ingest records it in the ledger: validated fields and READY, or what the file said and REJECTED with a
 * reason a person can act on.
 *
 * @param sourceFields the row's fields exactly as written in the file, for the rejected-rows report; empty when not
 * known, and for a READY row whose values give them back ({@link #fieldsFromValues}, as that report does):
 * a third of the bytes ingest writes per row, not stored twice
 */
public record LedgerEntry(int lineNumber, String requestId, String groupId, BigDecimal amount, String amountText,
		String currency, String reason, RowStatus status, String rejection, String idempotencyKey,
		List<String> sourceFields) {

	public LedgerEntry {
		sourceFields = sourceFields == null ? List.of() : List.copyOf(sourceFields);
	}

	public LedgerEntry(int lineNumber, String requestId, String groupId, BigDecimal amount, String amountText,
			String currency, String reason, RowStatus status, String rejection, String idempotencyKey) {
		this(lineNumber, requestId, groupId, amount, amountText, currency, reason, status, rejection, idempotencyKey,
				List.of());
	}

	/**
	 * A row's fields rebuilt from its values, in the order of the given header's columns ({@code ""} for a column
	 * that is none of the five): what the rejected-rows report gives back for a row whose fields as written were
	 * not stored (a READY row of a file of the five columns, or a row recorded before they were kept).
	 */
	public static List<String> fieldsFromValues(List<String> header, String requestId, String groupId, String amount,
			String currency, String reason) {
		List<String> fields = new ArrayList<>(header.size());
		for (String column : header) {
			String value = switch (columnName(column)) {
				case "request_id" -> requestId;
				case "group_id" -> groupId;
				case "amount" -> amount;
				case "currency" -> currency;
				case "reason" -> reason;
				default -> null;
			};
			fields.add(value == null ? "" : value);
		}
		return fields;
	}

	/**
	 * A header name as ingest reads it and {@link #fieldsFromValues} rebuilds by it: no surrounding spaces (nor byte
	 * order mark), lower case.
	 */
	public static String columnName(String name) {
		return name == null ? "" : name.replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT);
	}

	public LedgerEntry rejected(String why) {
		return new LedgerEntry(lineNumber, requestId, groupId, amount, amountText, currency, reason,
				RowStatus.REJECTED, rejection == null ? why : rejection + "; " + why, idempotencyKey, sourceFields);
	}

}
