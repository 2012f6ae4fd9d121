package io.grouprefunds.ledger;

import java.time.Instant;
import java.util.List;

import io.grouprefunds.domain.RowStatus;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The rows {@code reconcile} follows (SENDING, UNKNOWN, PENDING) and the ones past their follow-up age, for the
 * follow-up and for {@code status}. Reads only.
 */
@Component
public class OpenRows {

	private static final String[] OPEN = RowStatus.OPEN.stream().map(Enum::name).toArray(String[]::new);

	private final JdbcTemplate jdbc;

	OpenRows(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** An open row, with when it was created and last sent. */
	public record OpenRow(LedgerRow row, Instant createdAt, Instant sentAt, Instant lastCheckedAt) {

		/** How old the refund is: from its last claim, else its creation. */
		public Instant since() {
			return sentAt != null ? sentAt : createdAt;
		}

	}

	/** Batches with open rows created at or after {@code since}, oldest first. */
	public List<Long> batchesWithOpenRows(Instant since) {
		return jdbc.queryForList("SELECT DISTINCT batch_id FROM refund_row WHERE status = ANY (?) AND created_at >= ? "
				+ "ORDER BY batch_id", Long.class, OPEN, java.sql.Timestamp.from(since));
	}

	/** A batch's open rows, in line order; {@code since} null: whatever their age. */
	public List<OpenRow> inBatch(long batchId, Instant since) {
		return jdbc.query("SELECT * FROM refund_row WHERE batch_id = ? AND status = ANY (?) AND (?::timestamptz IS NULL "
				+ "OR created_at >= ?::timestamptz) ORDER BY line_number", (rs, n) -> row(rs), batchId, OPEN,
				since == null ? null : java.sql.Timestamp.from(since), since == null ? null : java.sql.Timestamp.from(since));
	}

	/** Open rows of every batch (or one batch) created before {@code before}: past the follow-up age. */
	public List<OpenRow> olderThan(Instant before, Long batchId) {
		return jdbc.query("SELECT * FROM refund_row WHERE status = ANY (?) AND created_at < ? AND (?::bigint IS NULL "
				+ "OR batch_id = ?::bigint) ORDER BY batch_id, line_number", (rs, n) -> row(rs), OPEN,
				java.sql.Timestamp.from(before), batchId, batchId);
	}

	private static OpenRow row(java.sql.ResultSet rs) throws java.sql.SQLException {
		return new OpenRow(Ledger.ROW_MAPPER.mapRow(rs, 0), instant(rs.getTimestamp("created_at")),
				instant(rs.getTimestamp("sent_at")), instant(rs.getTimestamp("last_checked_at")));
	}

	private static Instant instant(java.sql.Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
	}

}
