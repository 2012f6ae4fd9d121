package io.grouprefunds.provider;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * What the provider says about a group now: the evidence reconciliation decides on.
 *
 * @param found false when the provider does not know the group
 * @param total the amount a whole-group refund is computed from (Rapyd: the group payment's amount); null for a
 * provider that has no such figure and takes no whole-group refund (the card issuer's funding pool, whose balance
 * also moves with card spending)
 * @param refunded how much has been refunded on the group so far, by anyone: the figure reconciliation compares
 */
public record GroupState(boolean found, Currency currency, BigDecimal total, BigDecimal refunded) {

	public static GroupState notFound() {
		return new GroupState(false, null, BigDecimal.ZERO, BigDecimal.ZERO);
	}

}
