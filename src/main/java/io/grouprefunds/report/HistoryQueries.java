package io.grouprefunds.report;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The reads of {@code history}: which rows a key names, a row's facts, and its story (attempt log, status changes,
 * its batch's operator decisions). Read-only, like {@link ReportQueries}; the audit tables are written in
 * {@code ledger/} and by the database's own trigger.
 */
@Component
class HistoryQueries {

	private final JdbcTemplate jdbc;

	HistoryQueries(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** A ledger row, as {@code history} shows it first. */
	record RowFacts(long rowId, long batchId, String provider, String fileName, int lineNumber, String requestId,
			String groupId, BigDecimal amount, String currency, String status, int attempts, String idempotencyKey,
			String matchedBy) {

		RowFacts withMatchedBy(String how) {
			return new RowFacts(rowId, batchId, provider, fileName, lineNumber, requestId, groupId, amount, currency,
					status, attempts, idempotencyKey, how);
		}

	}

	/**
	 * One line of a row's story, oldest first: an attempt (REFUND or QUERY, with its answer when recorded), a status
	 * change of the row, or an operator decision on its batch.
	 * @param event ATTEMPT, STATUS or DECISION
	 * @param kind REFUND or QUERY; STATUS_CHANGE; or the decision (RUN, RESTART, …)
	 * @param answered whether an answer row exists for an attempt
	 */
	record Entry(Instant at, String event, String kind, Integer attemptNo, String idempotencyKey, boolean answered,
			Instant sentAt, Instant answeredAt, Integer httpStatus, String outcome, String providerReference,
			String providerErrorCode, String process, Long jobExecutionId, String oldStatus, String newStatus,
			String dbUser, String osUser, String host, String commandLine, String detail) {
	}

	private static final String ROW = "SELECT r.row_id, r.batch_id, r.provider, b.file_name, r.line_number, "
			+ "r.request_id, r.group_id, r.amount, r.currency, r.status, r.attempts, r.idempotency_key, ";

	/**
	 * The rows {@code key} names, by request_id first, else by idempotency key, else by row id (the first kind that
	 * names any row wins), in batch and line order.
	 * @param provider null: any
	 * @param batchId null: any
	 */
	List<RowFacts> find(String key, String provider, Long batchId) {
		Long rowId = key.matches("\\d{1,18}") ? Long.valueOf(key) : -1L;
		List<RowFacts> all = jdbc.query(ROW + "CASE WHEN r.request_id = ? THEN 1 WHEN r.idempotency_key = ? THEN 2 "
				+ "ELSE 3 END AS matched FROM refund_row r JOIN refund_batch b ON b.batch_id = r.batch_id "
				+ "WHERE (r.request_id = ? OR r.idempotency_key = ? OR r.row_id = ?) "
				+ "AND (CAST(? AS TEXT) IS NULL OR r.provider = ?) AND (CAST(? AS BIGINT) IS NULL OR r.batch_id = ?) "
				+ "ORDER BY matched, r.batch_id, r.line_number", (rs, n) -> facts(rs), key, key, key, key, rowId,
				provider, provider, batchId, batchId);
		if (all.isEmpty()) {
			return all;
		}
		String best = all.get(0).matchedBy();
		return all.stream().filter(row -> row.matchedBy().equals(best)).toList();
	}

	/** One row's facts; {@code matchedBy} is the caller's to say. */
	RowFacts row(long rowId, String matchedBy) {
		return jdbc.queryForObject(ROW + "0 AS matched FROM refund_row r JOIN refund_batch b ON b.batch_id = r.batch_id "
				+ "WHERE r.row_id = ?", (rs, n) -> facts(rs), rowId).withMatchedBy(matchedBy);
	}

	/** The row's story in time order (ties: attempts and events in the order they were written). */
	List<Entry> story(long rowId, long batchId) {
		return jdbc.query("SELECT * FROM ("
				+ "SELECT a.recorded_at AS at, 'ATTEMPT' AS event, a.kind, a.attempt_no, a.idempotency_key, "
				+ "w.attempt_id IS NOT NULL AS answered, w.sent_at, w.answered_at, w.http_status, w.outcome, "
				+ "w.provider_reference, w.provider_error_code, a.process, a.job_execution_id, "
				+ "NULL AS old_status, NULL AS new_status, NULL AS db_user, NULL AS os_user, NULL AS host, "
				+ "NULL AS command_line, NULL AS detail, 0 AS source, a.attempt_id AS seq "
				+ "FROM refund_attempt a LEFT JOIN refund_attempt_answer w ON w.attempt_id = a.attempt_id "
				+ "WHERE a.row_id = ? "
				+ "UNION ALL "
				+ "SELECT e.occurred_at, CASE WHEN e.row_id IS NULL THEN 'DECISION' ELSE 'STATUS' END, e.kind, NULL, "
				+ "NULL, FALSE, NULL, NULL, NULL, NULL, NULL, NULL, e.process, NULL, e.old_status, e.new_status, "
				+ "e.db_user, e.os_user, e.host, e.command_line, e.detail, 1, e.event_id "
				+ "FROM refund_event e WHERE e.row_id = ? OR (e.row_id IS NULL AND e.batch_id = ?)"
				+ ") story ORDER BY at, source, seq", (rs, n) -> new Entry(instant(rs, "at"), rs.getString("event"),
						rs.getString("kind"), (Integer) rs.getObject("attempt_no"), rs.getString("idempotency_key"),
						rs.getBoolean("answered"), instant(rs, "sent_at"), instant(rs, "answered_at"),
						(Integer) rs.getObject("http_status"), rs.getString("outcome"),
						rs.getString("provider_reference"), rs.getString("provider_error_code"),
						rs.getString("process"), (Long) rs.getObject("job_execution_id"), rs.getString("old_status"),
						rs.getString("new_status"), rs.getString("db_user"), rs.getString("os_user"),
						rs.getString("host"), rs.getString("command_line"), rs.getString("detail")),
				rowId, rowId, batchId);
	}

	private static RowFacts facts(ResultSet rs) throws SQLException {
		int matched = rs.getInt("matched");
		return new RowFacts(rs.getLong("row_id"), rs.getLong("batch_id"), rs.getString("provider"),
				rs.getString("file_name"), rs.getInt("line_number"), rs.getString("request_id"),
				rs.getString("group_id"), rs.getBigDecimal("amount"), rs.getString("currency"), rs.getString("status"),
				rs.getInt("attempts"), rs.getString("idempotency_key"),
				matched == 1 ? "request_id" : matched == 2 ? "idempotency key" : "row id");
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}

}
