package io.grouprefunds.provider;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * What the provider says about a group now: the evidence reconciliation decides on.
 *
 * @param found false when the provider does not know the group
 * @param total the group's total amount
 * @param refunded how much of it has been refunded so far, by anyone
 */
public record GroupState(boolean found, Currency currency, BigDecimal total, BigDecimal refunded) {

	public static GroupState notFound() {
		return new GroupState(false, null, BigDecimal.ZERO, BigDecimal.ZERO);
	}

}
