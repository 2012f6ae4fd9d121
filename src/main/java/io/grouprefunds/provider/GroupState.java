package io.grouprefunds.provider;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;

import io.grouprefunds.domain.RefundPart;

/**
 * What the provider says about a group now: the evidence reconciliation and the preflight decide on.
 *
 * @param found false when the provider does not know the group
 * @param total the amount a whole-group refund is computed from (Rapyd: the group payment's amount); null for a
 * provider that has no such figure and takes no whole-group refund (the card issuer's funding pool, whose balance
 * also moves with card spending)
 * @param refunded how much has been refunded on the group so far, by anyone: the figure reconciliation compares
 * @param status the provider's word for the group's state (Rapyd {@code closed}); null when it has none
 * @param refundable whether the group can take a refund in that state (Rapyd: only a closed group payment)
 * @param available how much may still be refunded (Rapyd: the payments' amounts less what was refunded; the issuer:
 * the group's balance); null when the provider does not say
 * @param parts every refund object the provider lists on the group (Rapyd: {@code payments[].refunds[]}); null when
 * its group query lists none (the issuer: refunds are asked one by one)
 */
public record GroupState(boolean found, Currency currency, BigDecimal total, BigDecimal refunded, String status,
		boolean refundable, BigDecimal available, List<RefundPart> parts) {

	public GroupState {
		parts = parts == null ? null : List.copyOf(parts);
	}

	/** A group that takes refunds, with no status, availability or parts known. */
	public GroupState(boolean found, Currency currency, BigDecimal total, BigDecimal refunded) {
		this(found, currency, total, refunded, null, found, null, null);
	}

	public static GroupState notFound() {
		return new GroupState(false, null, BigDecimal.ZERO, BigDecimal.ZERO, null, false, null, null);
	}

	/** Whether the provider's group query lists the refund objects made on it. */
	public boolean listsParts() {
		return parts != null;
	}

}
