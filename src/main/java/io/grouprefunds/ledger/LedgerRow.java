package io.grouprefunds.ledger;

import io.grouprefunds.domain.RowStatus;

import java.math.BigDecimal;

/** A ledger row as the submit step reads it. {@code amount} is null for "refund the whole group". */
public record LedgerRow(long rowId, long batchId, int lineNumber, String provider, String requestId, String groupId,
		BigDecimal amount, String currency, RowStatus status, int attempts, String idempotencyKey) {

	public LedgerRow withStatus(RowStatus newStatus) {
		return new LedgerRow(rowId, batchId, lineNumber, provider, requestId, groupId, amount, currency, newStatus,
				attempts, idempotencyKey);
	}

}
