package io.grouprefunds.report;

import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * Every read the reports and {@code status} make of the ledger tables and of Spring Batch's own tables: the only SQL
 * in {@code report/}, all of it read-only (writes to the ledger are in {@code ledger/}). The callers map the columns
 * into lines; the column order of each query is documented where a caller depends on it.
 */
@Component
class ReportQueries {

	private static final String UTC_TIME = "YYYY-MM-DD HH24:MI:SS";

	private final JdbcTemplate jdbc;

	ReportQueries(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * A batch's rows in line order, for the result file, streamed in pages (the caller's transaction keeps the cursor
	 * open): a million-row batch is never held in memory. Columns in {@link BatchReport}'s RESULT_COLUMNS order, then
	 * {@code amount_text}.
	 */
	void resultRows(long batchId, RowCallbackHandler each) {
		JdbcTemplate streaming = new JdbcTemplate(jdbc.getDataSource());
		streaming.setFetchSize(1000);
		streaming.query("SELECT line_number, request_id, group_id, amount, currency, reason, status, attempts, "
				+ "provider_operation_id, provider_refund_status, refunded_amount, refunded_currency, "
				+ "(SELECT string_agg(p.provider_part_id, ' ' ORDER BY p.part_id) FROM refund_part p "
				+ "WHERE p.row_id = r.row_id), idempotency_key, provider_error_code, provider_error_message, "
				+ "http_status, rejection, evidence, to_char(sent_at AT TIME ZONE 'UTC', '" + UTC_TIME + "'), "
				+ "to_char(finished_at AT TIME ZONE 'UTC', '" + UTC_TIME + "'), amount_text FROM refund_row r "
				+ "WHERE batch_id = ? ORDER BY line_number", each, batchId);
	}

	/** The file's header as the operator wrote it; null for a batch recorded before headers were kept. */
	List<String> headerFields(long batchId) {
		return jdbc.queryForObject("SELECT header_fields FROM refund_batch WHERE batch_id = ?",
				(rs, n) -> textList(rs.getArray(1)), batchId);
	}

	/** A batch's REJECTED rows in line order, with their fields as written ({@link #textList} reads those). */
	void rejectedRows(long batchId, RowCallbackHandler each) {
		jdbc.query("SELECT line_number, rejection, source_fields, request_id, group_id, amount_text, currency, reason "
				+ "FROM refund_row WHERE batch_id = ? AND status = 'REJECTED' ORDER BY line_number", each, batchId);
	}

	/** The batch whose file this batch processes again, or null. */
	Long reprocessOf(long batchId) {
		return jdbc.queryForObject("SELECT reprocess_of FROM refund_batch WHERE batch_id = ?", Long.class, batchId);
	}

	/** What the provider says went through, per currency: columns (refunded_currency, sum). */
	<T> List<T> refundedByCurrency(long batchId, RowMapper<T> mapper) {
		return jdbc.query("SELECT refunded_currency, SUM(refunded_amount) FROM refund_row "
				+ "WHERE batch_id = ? AND refunded_amount > 0 GROUP BY refunded_currency ORDER BY refunded_currency",
				mapper, batchId);
	}

	/**
	 * A batch's PENDING rows, oldest first: columns (line_number, request_id, group_id, amount, currency, since,
	 * last_checked_at, parts as "id status, …").
	 */
	<T> List<T> pendingRows(long batchId, int limit, RowMapper<T> mapper) {
		return jdbc.query("SELECT r.line_number, r.request_id, r.group_id, r.amount, r.currency, "
				+ "COALESCE(r.sent_at, r.created_at) AS since, r.last_checked_at, (SELECT string_agg(p.provider_part_id "
				+ "|| ' ' || p.status, ', ' ORDER BY p.part_id) FROM refund_part p WHERE p.row_id = r.row_id) AS parts "
				+ "FROM refund_row r WHERE r.batch_id = ? AND r.status = 'PENDING' ORDER BY since, r.line_number "
				+ "LIMIT " + limit, mapper, batchId);
	}

	/**
	 * A batch's DECLINED and DISCREPANCY rows: columns (line_number, request_id, status, refunded_amount,
	 * refunded_currency, amount, currency, provider_refund_status, provider_error_code, provider_error_message).
	 */
	<T> List<T> rowsForAPerson(long batchId, int limit, RowMapper<T> mapper) {
		return jdbc.query("SELECT line_number, request_id, status, refunded_amount, refunded_currency, "
				+ "amount, currency, provider_refund_status, provider_error_code, provider_error_message FROM refund_row "
				+ "WHERE batch_id = ? AND status IN ('DECLINED', 'DISCREPANCY') ORDER BY line_number LIMIT " + limit,
				mapper, batchId);
	}

	List<Long> recentBatchIds(int limit) {
		return jdbc.queryForList("SELECT batch_id FROM refund_batch ORDER BY batch_id DESC LIMIT ?", Long.class,
				limit);
	}

	Instant createdAt(long batchId) {
		return jdbc.queryForObject("SELECT created_at FROM refund_batch WHERE batch_id = ?",
				(rs, n) -> rs.getTimestamp(1).toInstant(), batchId);
	}

	/**
	 * Every execution of the jobs of a batch (refundJob, rerunJob), from Spring Batch's tables, oldest first:
	 * columns (job_name, job_execution_id, status, exit_code, start_time, end_time).
	 */
	<T> List<T> executions(long batchId, RowMapper<T> mapper) {
		return jdbc.query("SELECT i.job_name, e.job_execution_id, e.status, e.exit_code, e.start_time, e.end_time "
				+ "FROM batch_job_execution e JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id "
				+ "JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id "
				+ "AND p.parameter_name = 'batchId' AND p.parameter_value = ? ORDER BY e.job_execution_id", mapper,
				Long.toString(batchId));
	}

	static List<String> textList(Array array) throws SQLException {
		return array == null ? null : Arrays.asList((String[]) array.getArray());
	}

}
