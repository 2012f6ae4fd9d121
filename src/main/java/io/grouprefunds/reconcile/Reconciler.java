package io.grouprefunds.reconcile;

import java.math.BigDecimal;

import io.grouprefunds.ledger.Ledger.GroupHistory;
import io.grouprefunds.ledger.LedgerRow;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.provider.GroupState;

/**
 * Decides whether a row that may have reached the provider (SENDING or UNKNOWN) took effect, from the provider's
 * current view of the group and what this ledger knows was refunded on it.
 *
 * <p>The rule: the provider's refunded total must equal either the ledger's other settled refunds (then this one
 * was not applied: RETRYABLE) or those plus this row's amount (applied: SUCCEEDED). Anything else, or another
 * unsettled row on the same group, leaves the row UNKNOWN for a person, with the evidence. Its limit: refunds made
 * outside this job on the same group make the arithmetic ambiguous, and then it answers UNKNOWN, never a guess
 * that could send twice.
 */
public final class Reconciler {

	private Reconciler() {
	}

	/**
	 * What reconciliation decided for a row, and on which evidence. {@code applied}: for SUCCEEDED, the amount the
	 * provider's figures show this row refunded; null otherwise.
	 */
	public record Decision(RowStatus status, String evidence, BigDecimal applied) {

		public Decision(RowStatus status, String evidence) {
			this(status, evidence, null);
		}

	}

	/** The figures a decision is made on, as the evidence states them. */
	static String seen(GroupState group, GroupHistory history) {
		return "provider shows " + group.refunded().toPlainString() + " " + group.currency() + " refunded"
				+ (group.total() != null ? " of " + group.total().toPlainString() : "")
				+ "; this ledger's other settled refunds on the group: " + history.settledAmount().toPlainString();
	}

	static Decision decide(LedgerRow row, GroupState group, GroupHistory history) {
		if (!group.found()) {
			return new Decision(RowStatus.RETRYABLE, "provider does not know group " + row.groupId()
					+ ": nothing can have been refunded");
		}
		String seen = seen(group, history);
		if (!group.currency().getCurrencyCode().equals(row.currency())) {
			return new Decision(RowStatus.UNKNOWN, seen + "; the group is in " + group.currency() + ", the row says "
					+ row.currency());
		}
		if (history.otherUnsettled() > 0) {
			return new Decision(RowStatus.UNKNOWN,
					seen + "; " + history.otherUnsettled() + " other unsettled row(s) on this group make it ambiguous");
		}
		if (history.settledFullRefund()) {
			// The group was refunded in full by a settled row: the provider cannot have accepted this one too.
			return new Decision(RowStatus.RETRYABLE, seen + "; a whole-group refund was already settled, so this "
					+ "row cannot have been applied");
		}
		BigDecimal before = history.settledAmount();
		if (row.amount() == null && group.total() == null) {
			// A provider without a group total cannot say what a whole-group refund came to.
			return new Decision(RowStatus.UNKNOWN, seen + "; the provider gives no group total to size this "
					+ "whole-group refund by");
		}
		BigDecimal thisRow = row.amount() != null ? row.amount() : group.total().subtract(before);
		if (group.refunded().compareTo(before.add(thisRow)) == 0 && thisRow.signum() > 0) {
			return new Decision(RowStatus.SUCCEEDED, seen + "; that includes this row's " + thisRow.toPlainString(),
					thisRow);
		}
		if (group.refunded().compareTo(before) == 0) {
			return new Decision(RowStatus.RETRYABLE, seen + "; this row's refund is not among them");
		}
		return new Decision(RowStatus.UNKNOWN, seen + "; neither with nor without this row's "
				+ thisRow.toPlainString() + ": refunds from outside this job?");
	}

}
