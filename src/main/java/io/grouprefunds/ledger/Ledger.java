package io.grouprefunds.ledger;

import io.grouprefunds.domain.RowStatus;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.grouprefunds.domain.SubmitOutcome;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The tracking tables ({@code refund_batch}, {@code refund_row}): every read and write of the ledger is here.
 *
 * <p>Claims and outcomes are written in transactions of their own ({@code REQUIRES_NEW}) that commit at once: a claim
 * must be durable before its request leaves, and an outcome must survive a chunk that fails afterwards.
 */
@Component
public class Ledger {

	public static final RowMapper<LedgerRow> ROW_MAPPER = (rs, n) -> new LedgerRow(rs.getLong("row_id"), rs.getLong("batch_id"),
			rs.getInt("line_number"), rs.getString("provider"), rs.getString("request_id"), rs.getString("group_id"),
			rs.getBigDecimal("amount"), rs.getString("currency"), RowStatus.valueOf(rs.getString("status")),
			rs.getInt("attempts"), rs.getString("idempotency_key"));

	public static final String ROW_COLUMNS = "row_id, batch_id, line_number, provider, request_id, group_id, amount, "
			+ "currency, status, attempts, idempotency_key";

	private static final RowMapper<BatchRecord> BATCH = (rs, n) -> new BatchRecord(rs.getLong("batch_id"),
			rs.getString("provider"), rs.getString("file_name"), rs.getString("file_path"),
			rs.getString("file_sha256"), rs.getString("state"), rs.getString("refusal"));

	private final JdbcTemplate jdbc;

	private final TransactionTemplate ownTransaction;

	public Ledger(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	// ---- batches

	public long createBatch(String provider, String fileName, String filePath, String sha256) {
		return createBatch(provider, fileName, filePath, sha256, BatchControls.NONE, null);
	}

	/**
	 * Creates a batch with the operator's control totals, in one transaction: a batch never exists without the
	 * totals it was started with.
	 * @param reprocessOf the batch of the same file this one processes again, or null
	 */
	public long createBatch(String provider, String fileName, String filePath, String sha256, BatchControls controls,
			Long reprocessOf) {
		return ownTransaction.execute(tx -> {
			long batchId = jdbc.queryForObject("INSERT INTO refund_batch (provider, file_name, file_path, file_sha256, "
					+ "state, expected_rows, reprocess_of) VALUES (?, ?, ?, ?, 'INGESTING', ?, ?) RETURNING batch_id",
					Long.class, provider, fileName, filePath, sha256, controls.expectedRows(), reprocessOf);
			controls.expectedTotals().forEach((currency, amount) -> jdbc.update("INSERT INTO refund_batch_total "
					+ "(batch_id, kind, currency, amount) VALUES (?, 'EXPECTED', ?, ?)", batchId, currency, amount));
			controls.maxTotals().forEach((currency, amount) -> jdbc.update("INSERT INTO refund_batch_total "
					+ "(batch_id, kind, currency, amount) VALUES (?, 'MAXIMUM', ?, ?)", batchId, currency, amount));
			return batchId;
		});
	}

	/** The control totals a batch was started with. */
	public BatchControls controls(long batchId) {
		Integer expectedRows = jdbc.queryForObject("SELECT expected_rows FROM refund_batch WHERE batch_id = ?",
				Integer.class, batchId);
		Map<String, BigDecimal> expected = new HashMap<>();
		Map<String, BigDecimal> maximum = new HashMap<>();
		jdbc.query("SELECT kind, currency, amount FROM refund_batch_total WHERE batch_id = ?", (ResultSet rs) -> {
			(rs.getString("kind").equals("EXPECTED") ? expected : maximum).put(rs.getString("currency"),
					rs.getBigDecimal("amount"));
		}, batchId);
		return new BatchControls(expectedRows, expected, maximum);
	}

	/** Every batch made from a file with these contents, newest first. */
	public List<BatchRecord> findBatchesByFile(String sha256) {
		return jdbc.query("SELECT * FROM refund_batch WHERE file_sha256 = ? ORDER BY batch_id DESC", BATCH, sha256);
	}

	/** The file's header line as written, for the rejected-rows report; the same on every restart. */
	public void recordHeader(long batchId, List<String> header) {
		jdbc.update("UPDATE refund_batch SET header_fields = ? WHERE batch_id = ?", (Object) textArray(header),
				batchId);
	}

	public Optional<BatchRecord> findBatch(long batchId) {
		return jdbc.query("SELECT * FROM refund_batch WHERE batch_id = ?", BATCH, batchId).stream().findFirst();
	}

	public Optional<BatchRecord> latestBatch() {
		return jdbc.query("SELECT * FROM refund_batch ORDER BY batch_id DESC LIMIT 1", BATCH).stream().findFirst();
	}

	public void markBatchReady(long batchId) {
		jdbc.update("UPDATE refund_batch SET state = 'READY' WHERE batch_id = ? AND state = 'INGESTING'", batchId);
	}

	/** A refused file moves no money: its batch is closed and any row ingest already wrote is REJECTED. */
	public void refuseBatch(long batchId, String why) {
		ownTransaction.executeWithoutResult(tx -> {
			jdbc.update("UPDATE refund_batch SET state = 'REFUSED', refusal = ? WHERE batch_id = ?", why, batchId);
			jdbc.update("UPDATE refund_row SET status = 'REJECTED', rejection = ?, finished_at = now() "
					+ "WHERE batch_id = ? AND status = 'READY'", "file refused: " + why, batchId);
		});
	}

	// ---- ingest: rows are recorded by LedgerIngest (COPY per chunk)

	// ---- submission

	/** A batch's rows in the given states, in line order. */
	public List<LedgerRow> rowsIn(long batchId, Collection<RowStatus> statuses) {
		return jdbc.query("SELECT " + ROW_COLUMNS + " FROM refund_row WHERE batch_id = ? AND status = ANY (?) "
				+ "ORDER BY line_number", ROW_MAPPER, batchId, statuses.stream().map(Enum::name).toArray(String[]::new));
	}

	/**
	 * Refreshes the planner's statistics of the ledger. Right after a bulk ingest they still describe the table as it
	 * was (often empty), and the per-chunk statements of the submit step (page, claim, record) may then be planned as
	 * scans of the whole table until autovacuum gets to it; the submission starts with this. Takes a sample: cheap.
	 */
	public void refreshStatistics() {
		try {
			jdbc.execute("ANALYZE refund_row");
		}
		catch (org.springframework.dao.DataAccessException ex) {
			// A database user that does not own the table may not analyze it: autovacuum will, later.
			org.slf4j.LoggerFactory.getLogger(Ledger.class).debug("ANALYZE refund_row: {}", ex.getMessage());
		}
	}

	/** How many of a batch's rows are in the given states (the progress line's total). */
	public long countRowsIn(long batchId, Collection<RowStatus> statuses) {
		return jdbc.queryForObject("SELECT COUNT(*) FROM refund_row WHERE batch_id = ? AND status = ANY (?)", Long.class,
				batchId, statuses.stream().map(Enum::name).toArray(String[]::new));
	}

	/** The rows as they are now: a chunk read earlier may be stale after a restart. */
	public List<LedgerRow> current(Collection<Long> rowIds) {
		return jdbc.query("SELECT " + ROW_COLUMNS + " FROM refund_row WHERE row_id = ANY (?) ORDER BY line_number",
				ROW_MAPPER, (Object) longArray(rowIds));
	}

	/**
	 * Marks rows SENDING and counts the attempt, committed before any request leaves. Only rows still in a sendable
	 * state are claimed, so a row another process claimed meanwhile is not sent twice.
	 * @return the ids actually claimed
	 */
	public List<Long> claim(Collection<Long> rowIds) {
		return ownTransaction.execute(tx -> jdbc.queryForList("UPDATE refund_row SET status = 'SENDING', "
				+ "attempts = attempts + 1, sent_at = now() WHERE row_id = ANY (?) "
				+ "AND status IN ('READY', 'RETRYABLE', 'SENDING', 'UNKNOWN') RETURNING row_id", Long.class,
				(Object) longArray(rowIds)));
	}

	/**
	 * Records what the provider answered for claimed rows; one committed transaction, and one statement, for the
	 * whole group (the rows travel as arrays: a chunk costs the database one update, not one per row).
	 */
	public void recordOutcomes(List<RecordedOutcome> outcomes) {
		if (outcomes.isEmpty()) {
			return;
		}
		int n = outcomes.size();
		Long[] rowIds = new Long[n];
		String[] statuses = new String[n];
		Integer[] extraAttempts = new Integer[n];
		String[] operationIds = new String[n];
		String[] refundStatuses = new String[n];
		String[] errorCodes = new String[n];
		String[] errorMessages = new String[n];
		Integer[] httpStatuses = new Integer[n];
		Boolean[] finals = new Boolean[n];
		for (int i = 0; i < n; i++) {
			RecordedOutcome r = outcomes.get(i);
			SubmitOutcome o = r.outcome();
			rowIds[i] = r.rowId();
			statuses[i] = o.status().name();
			extraAttempts[i] = r.extraAttempts();
			operationIds[i] = o.operationId();
			refundStatuses[i] = o.refundStatus();
			errorCodes[i] = o.errorCode();
			errorMessages[i] = o.errorMessage();
			httpStatuses[i] = o.httpStatus();
			finals[i] = RowStatus.FINAL.contains(o.status());
		}
		ownTransaction.executeWithoutResult(tx -> jdbc.update("UPDATE refund_row r SET status = v.status, "
				+ "attempts = r.attempts + v.extra, provider_operation_id = COALESCE(v.operation_id, "
				+ "r.provider_operation_id), provider_refund_status = v.refund_status, provider_error_code = "
				+ "v.error_code, provider_error_message = v.error_message, http_status = v.http_status, "
				+ "finished_at = CASE WHEN v.final THEN now() END "
				+ "FROM unnest(?::bigint[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], "
				+ "?::boolean[]) AS v(row_id, status, extra, operation_id, refund_status, error_code, error_message, "
				+ "http_status, final) WHERE r.row_id = v.row_id AND r.status = 'SENDING'", rowIds, statuses,
				extraAttempts, operationIds, refundStatuses, errorCodes, errorMessages, httpStatuses, finals));
	}

	/** Puts claimed rows that were never sent back as they were, attempt uncounted. */
	public void release(Map<Long, RowStatus> previous) {
		ownTransaction.executeWithoutResult(tx -> jdbc.batchUpdate("UPDATE refund_row SET status = ?, "
				+ "attempts = attempts - 1 WHERE row_id = ? AND status = 'SENDING'", new ArrayList<>(previous.entrySet()),
				previous.size(), (ps, e) -> {
					ps.setString(1, e.getValue().name());
					ps.setLong(2, e.getKey());
				}));
	}

	/** Settles a maybe-sent row from reconciliation, with the evidence the decision was made on. */
	public void settle(long rowId, RowStatus status, String evidence) {
		ownTransaction.executeWithoutResult(tx -> jdbc.update("UPDATE refund_row SET status = ?, evidence = ?, "
				+ "finished_at = CASE WHEN ? THEN now() END WHERE row_id = ? AND status IN ('SENDING', 'UNKNOWN')",
				status.name(), evidence, RowStatus.FINAL.contains(status), rowId));
	}

	/**
	 * What this ledger knows the provider refunded on a group, other than one row: the sum of explicit amounts of
	 * SUCCEEDED/PENDING rows, whether one of them was a whole-group refund, and how many other rows of the group are
	 * themselves unsettled (SENDING/UNKNOWN).
	 */
	public GroupHistory groupHistory(String provider, String groupId, long excludingRowId) {
		return jdbc.queryForObject("SELECT COALESCE(SUM(amount) FILTER (WHERE status IN ('SUCCEEDED', 'PENDING')), 0), "
				+ "COUNT(*) FILTER (WHERE status IN ('SUCCEEDED', 'PENDING') AND amount IS NULL), "
				+ "COUNT(*) FILTER (WHERE status IN ('SENDING', 'UNKNOWN')) "
				+ "FROM refund_row WHERE provider = ? AND group_id = ? AND row_id <> ?",
				(rs, n) -> new GroupHistory(rs.getBigDecimal(1), rs.getInt(2) > 0, rs.getInt(3)), provider, groupId,
				excludingRowId);
	}

	/** See {@link #groupHistory}. */
	public record GroupHistory(BigDecimal settledAmount, boolean settledFullRefund, int otherUnsettled) {
	}

	/** An outcome to record for a claimed row; {@code extraAttempts} counts retries beyond the claimed attempt. */
	public record RecordedOutcome(long rowId, SubmitOutcome outcome, int extraAttempts) {
	}

	// ---- reports

	public List<StatusTotal> totals(long batchId) {
		return jdbc.query("SELECT status, COALESCE(currency, '') AS currency, COUNT(*) AS rows, "
				+ "COALESCE(SUM(amount), 0) AS amount, COUNT(*) FILTER (WHERE amount IS NULL AND status <> 'REJECTED') "
				+ "AS full_refunds FROM refund_row WHERE batch_id = ? GROUP BY status, currency ORDER BY status, currency",
				(rs, n) -> new StatusTotal(RowStatus.valueOf(rs.getString("status")), rs.getString("currency"),
						rs.getInt("rows"), rs.getBigDecimal("amount"), rs.getInt("full_refunds")),
				batchId);
	}

	public int countRows(long batchId) {
		return jdbc.queryForObject("SELECT COUNT(*) FROM refund_row WHERE batch_id = ?", Integer.class, batchId);
	}

	// The PostgreSQL driver binds Java arrays as SQL arrays: one statement for a whole chunk.
	private static Long[] longArray(Collection<Long> values) {
		return values.toArray(new Long[0]);
	}

	private static String[] textArray(Collection<String> values) {
		return values.toArray(new String[0]);
	}

}
