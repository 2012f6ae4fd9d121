package io.grouprefunds.ledger;

import io.grouprefunds.domain.RowStatus;

import java.math.BigDecimal;
import java.util.List;

/**
 * A row as ingest records it in the ledger: validated fields and READY, or what the file said and REJECTED with a
 * reason a person can act on.
 *
 * @param sourceFields the row's fields exactly as written in the file, for the rejected-rows report; empty when not
 * known, and for a READY row whose values give them back ({@code CsvHeader.fieldsFromValues}, as that report does):
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

	public LedgerEntry rejected(String why) {
		return new LedgerEntry(lineNumber, requestId, groupId, amount, amountText, currency, reason,
				RowStatus.REJECTED, rejection == null ? why : rejection + "; " + why, idempotencyKey, sourceFields);
	}

}
