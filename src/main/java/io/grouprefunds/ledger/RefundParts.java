package io.grouprefunds.ledger;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.grouprefunds.domain.PartState;
import io.grouprefunds.domain.RefundPart;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code refund_part} table: which refund objects of the provider belong to which ledger row. Runs inside the
 * caller's transaction, so a row's parts and its status always change together.
 *
 * <p>The attribution rule: a row's parts are the refund objects the provider showed after its request that no other
 * row owns, created no earlier than the row's claim ({@code sent_at}) minus a clock-skew allowance. Rows of one group
 * are sent one at a time, so the only unattributed recent objects on a group are the current request's; and a part
 * is owned once ({@code UNIQUE (provider, provider_part_id)}), so an earlier refund on the same payment is never
 * counted for a later row. Only a row that owns no part yet takes new ones: a row's parts are those of one request.
 */
final class RefundParts {

	private RefundParts() {
	}

	/** A refund object the provider showed, offered to a row. */
	record Offer(long rowId, RefundPart part) {
	}

	/**
	 * Updates the parts rows already own (status, reason, times; {@code status_changed_at} only when the status
	 * changed), then gives the rows that own none, and are in one of {@code rowStatuses}, the offered parts nobody
	 * owns, within the time window.
	 */
	static void apply(JdbcTemplate jdbc, String provider, List<Offer> offers, Duration clockSkew,
			Collection<String> rowStatuses) {
		if (offers.isEmpty()) {
			return;
		}
		int n = offers.size();
		Long[] rowIds = new Long[n];
		String[] ids = new String[n];
		String[] payments = new String[n];
		String[] amounts = new String[n];
		String[] currencies = new String[n];
		String[] statuses = new String[n];
		String[] states = new String[n];
		String[] reasons = new String[n];
		String[] created = new String[n];
		String[] updated = new String[n];
		for (int i = 0; i < n; i++) {
			RefundPart p = offers.get(i).part();
			rowIds[i] = offers.get(i).rowId();
			ids[i] = p.partId();
			payments[i] = p.paymentId();
			amounts[i] = p.amount() == null ? null : p.amount().toPlainString();
			currencies[i] = p.currency();
			statuses[i] = p.status() == null ? "" : p.status();
			states[i] = p.state().name();
			reasons[i] = p.failureReason();
			created[i] = p.createdAt() == null ? null : p.createdAt().toString();
			updated[i] = p.updatedAt() == null ? null : p.updatedAt().toString();
		}
		String offered = "unnest(?::bigint[], ?::text[], ?::text[], ?::numeric[], ?::text[], ?::text[], ?::text[], "
				+ "?::text[], ?::timestamptz[], ?::timestamptz[]) AS v(row_id, part_id, payment_id, amount, currency, "
				+ "status, state, reason, created_at, updated_at)";
		Object[] arguments = { rowIds, ids, payments, amounts, currencies, statuses, states, reasons, created,
				updated };
		jdbc.update("UPDATE refund_part p SET status_changed_at = CASE WHEN p.status <> v.status THEN now() "
				+ "ELSE p.status_changed_at END, status = v.status, state = v.state, "
				+ "failure_reason = COALESCE(v.reason, p.failure_reason), amount = COALESCE(v.amount, p.amount), "
				+ "currency = COALESCE(v.currency, p.currency), provider_updated_at = COALESCE(v.updated_at, "
				+ "p.provider_updated_at) FROM " + offered + " WHERE p.provider = ? AND p.provider_part_id = v.part_id "
				+ "AND p.row_id = v.row_id", append(arguments, provider));
		Object[] insertArguments = new Object[arguments.length + 3];
		insertArguments[0] = provider;
		System.arraycopy(arguments, 0, insertArguments, 1, arguments.length);
		insertArguments[arguments.length + 1] = clockSkew.toMillis();
		insertArguments[arguments.length + 2] = rowStatuses.toArray(new String[0]);
		jdbc.update("INSERT INTO refund_part (row_id, provider, provider_part_id, payment_id, amount, currency, "
				+ "status, state, failure_reason, provider_created_at, provider_updated_at) "
				+ "SELECT v.row_id, ?, v.part_id, v.payment_id, v.amount, v.currency, v.status, v.state, v.reason, "
				+ "v.created_at, v.updated_at FROM " + offered + " JOIN refund_row r ON r.row_id = v.row_id "
				+ "WHERE (v.created_at IS NULL OR r.sent_at IS NULL OR v.created_at >= r.sent_at - ? * INTERVAL "
				+ "'1 millisecond') AND r.status = ANY (?) AND NOT EXISTS (SELECT 1 FROM refund_part o "
				+ "WHERE o.row_id = v.row_id) "
				+ "ORDER BY v.row_id ON CONFLICT (provider, provider_part_id) DO NOTHING", insertArguments);
	}

	private static Object[] append(Object[] values, Object last) {
		Object[] all = java.util.Arrays.copyOf(values, values.length + 1);
		all[values.length] = last;
		return all;
	}

	/** The parts each row owns, oldest first. */
	static Map<Long, List<RefundPart>> of(JdbcTemplate jdbc, Collection<Long> rowIds) {
		Map<Long, List<RefundPart>> parts = new HashMap<>();
		if (rowIds.isEmpty()) {
			return parts;
		}
		jdbc.query("SELECT * FROM refund_part WHERE row_id = ANY (?) ORDER BY row_id, provider_created_at NULLS LAST, "
				+ "part_id", (ResultSet rs) -> {
					parts.computeIfAbsent(rs.getLong("row_id"), k -> new ArrayList<>()).add(part(rs));
				}, (Object) rowIds.toArray(new Long[0]));
		return parts;
	}

	static RefundPart part(ResultSet rs) throws SQLException {
		BigDecimal amount = rs.getBigDecimal("amount");
		if (amount != null) {
			// NUMERIC(20, 4) gives 42.6000: back to the digits the provider wrote (the rule scales to the currency).
			amount = amount.stripTrailingZeros();
			amount = amount.scale() < 0 ? amount.setScale(0) : amount;
		}
		return new RefundPart(rs.getString("provider_part_id"), rs.getString("payment_id"), amount,
				rs.getString("currency"), rs.getString("status"), PartState.valueOf(rs.getString("state")),
				instant(rs.getTimestamp("provider_created_at")), instant(rs.getTimestamp("provider_updated_at")),
				rs.getString("failure_reason"));
	}

	private static Instant instant(Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
	}

}
