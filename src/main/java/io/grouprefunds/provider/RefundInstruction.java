package io.grouprefunds.provider;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Optional;

import io.grouprefunds.domain.Money;

/**
 * One refund as the provider adapters see it: taken from a ledger row, provider-neutral.
 *
 * @param rowId the ledger row, for logs and outcomes
 * @param requestId the operator's id for the refund
 * @param groupId the provider's group id (Rapyd group payment, issuer group)
 * @param amount empty for "refund the whole group" where the provider allows it
 * @param idempotencyKey decided once at ingest; the same on every attempt
 */
public record RefundInstruction(long rowId, String requestId, String groupId, Optional<Money> amount, Currency currency,
		String idempotencyKey) {

	/** From ledger values: {@code amount} null means the whole group. */
	public static RefundInstruction of(long rowId, String requestId, String groupId, BigDecimal amount,
			String currencyCode, String idempotencyKey) {
		Currency currency = Currency.getInstance(currencyCode);
		return new RefundInstruction(rowId, requestId, groupId,
				Optional.ofNullable(amount).map(value -> new Money(value, currency)), currency, idempotencyKey);
	}

}
