package io.grouprefunds.reconcile;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import io.grouprefunds.provider.GroupState;

/**
 * Which rows of one group cannot succeed, from the provider's view of the group before anything is sent: an unknown
 * group, a group that takes no refund in its state (Rapyd: not closed), another currency than the group's (the
 * provider would refund in the group's), or more than is still refundable, counting the earlier rows of the same
 * group in the file (line order: the order they would be sent in).
 */
public final class PreflightRule {

	private PreflightRule() {
	}

	/** A row to check: {@code amount} null refunds whatever is left on the group. */
	public record Row(long rowId, int lineNumber, String groupId, BigDecimal amount, String currency) {
	}

	/** A row that cannot succeed, and why, in words for the operator. */
	public record Rejection(Row row, String reason) {
	}

	/** @param rows the group's rows, in line order */
	public static List<Rejection> decide(GroupState group, List<Row> rows) {
		List<Rejection> rejected = new ArrayList<>();
		BigDecimal left = group.found() ? group.available() : null;
		List<Integer> before = new ArrayList<>();
		for (Row row : rows) {
			String why = why(group, row, left, before);
			if (why != null) {
				rejected.add(new Rejection(row, "preflight: " + why + "; nothing was sent"));
				continue;
			}
			if (left != null) {
				left = row.amount() == null ? BigDecimal.ZERO : left.subtract(row.amount());
			}
			before.add(row.lineNumber());
		}
		return rejected;
	}

	private static String why(GroupState group, Row row, BigDecimal left, List<Integer> before) {
		if (!group.found()) {
			return "the provider does not know group " + row.groupId();
		}
		if (!group.refundable()) {
			return "group " + row.groupId() + " is " + (group.status() == null || group.status().isBlank() ? "not "
					+ "refundable" : "'" + group.status() + "'") + ": the provider refunds only a closed group payment";
		}
		String currency = group.currency().getCurrencyCode();
		if (!currency.equals(row.currency())) {
			return "group " + row.groupId() + " is in " + currency + ", the row says " + row.currency()
					+ " (the provider would refund " + currency + ")";
		}
		if (left == null) {
			return null;
		}
		String after = before.isEmpty() ? "" : " after line(s) " + join(before) + " of this file";
		if (row.amount() == null) {
			return left.signum() > 0 ? null : "nothing is left to refund on group " + row.groupId() + after;
		}
		if (row.amount().compareTo(left) > 0) {
			return row.amount().toPlainString() + " " + row.currency() + " is more than the "
					+ left.max(BigDecimal.ZERO).toPlainString() + " still refundable on group " + row.groupId() + after;
		}
		return null;
	}

	private static String join(List<Integer> lines) {
		return String.join(", ", lines.stream().map(String::valueOf).toList());
	}

}
