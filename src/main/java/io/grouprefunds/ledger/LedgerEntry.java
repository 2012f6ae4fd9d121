package io.grouprefunds.ledger;

import java.math.BigDecimal;

/**
 * A row as ingest records it in the ledger: validated fields and READY, or what the file said and REJECTED with a
 * reason a person can act on.
 */
public record LedgerEntry(int lineNumber, String requestId, String groupId, BigDecimal amount, String amountText,
		String currency, String reason, RowStatus status, String rejection, String idempotencyKey) {

	public LedgerEntry rejected(String why) {
		return new LedgerEntry(lineNumber, requestId, groupId, amount, amountText, currency, reason,
				RowStatus.REJECTED, rejection == null ? why : rejection + "; " + why, idempotencyKey);
	}

}
