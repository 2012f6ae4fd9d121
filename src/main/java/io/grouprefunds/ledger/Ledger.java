package io.grouprefunds.ledger;

import io.grouprefunds.domain.RowStatus;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.grouprefunds.domain.RefundPart;
import io.grouprefunds.domain.Settlement;
import io.grouprefunds.domain.SubmitOutcome;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
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

	static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);

	private final JdbcTemplate jdbc;

	private final TransactionTemplate ownTransaction;

	private final Duration clockSkew;

	public Ledger(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		this(jdbc, transactionManager, DEFAULT_CLOCK_SKEW);
	}

	/**
	 * @param clockSkew how much earlier than a row's claim the provider's clock may date the refund objects the row's
	 * request created ({@code refunds.reconcile.clock-skew})
	 */
	@Autowired
	public Ledger(JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
			@Value("${refunds.reconcile.clock-skew:5m}") Duration clockSkew) {
		this.clockSkew = clockSkew;
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
			// Its submitter (the RUN event's database login) is recorded with the batch, never after it.
			DecisionEvents.insert(jdbc, DecisionEvent.Kind.RUN, batchId, "new batch of " + fileName + " (sha256 "
					+ sha256 + ") for " + provider + (controls.isEmpty() ? "" : " with " + controls.describe()));
			if (reprocessOf != null) {
				DecisionEvents.insert(jdbc, DecisionEvent.Kind.REPROCESS, batchId, "--allow-reprocess: processes again "
						+ "the file of batch " + reprocessOf + "; request_ids already used are REJECTED");
			}
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
		return claim(rowIds, null).stream().map(AttemptLog.Attempt::rowId).toList();
	}

	/**
	 * {@link #claim(Collection)}, and the first REFUND attempt of each claimed row ({@link AttemptLog}) in the same
	 * statement: a request never leaves without its attempt row.
	 * @param jobExecutionId the Spring Batch execution sending them, if any
	 * @return the attempt of each row actually claimed
	 */
	public List<AttemptLog.Attempt> claim(Collection<Long> rowIds, Long jobExecutionId) {
		if (rowIds.isEmpty()) {
			return List.of();
		}
		return ownTransaction.execute(tx -> AttemptLog.claim(jdbc, rowIds, jobExecutionId));
	}

	/**
	 * Records what the provider answered for claimed rows; one committed transaction, and a few statements, for the
	 * whole group (the rows travel as arrays: a chunk costs the database one update, not one per row). The refund
	 * parts of accepted answers are attributed to their rows in the same transaction, and an accepted row's status
	 * is derived from its own parts ({@link io.grouprefunds.domain.Settlement}).
	 * @return what was recorded per row id (an accepted row's status as its parts say), for the log and the meters
	 */
	public Map<Long, SubmitOutcome> recordOutcomes(List<RecordedOutcome> outcomes) {
		return recordChunk(outcomes, Map.of(), List.of());
	}

	/** Puts claimed rows that were never sent back as they were, attempt uncounted. */
	public void release(Map<Long, RowStatus> previous) {
		recordChunk(List.of(), previous, List.of());
	}

	/**
	 * A chunk's recording, in one committed transaction: the answers of its attempts ({@link AttemptLog}), then the
	 * outcomes of its answered rows ({@link #recordOutcomes}), then its rows never sent put back as they were
	 * ({@link #release}). A row's {@code attempts} stays as its claim counted it or is recounted from its attempt rows
	 * ({@link RecordedOutcome}); a released row's is recounted.
	 */
	public Map<Long, SubmitOutcome> recordChunk(List<RecordedOutcome> outcomes, Map<Long, RowStatus> release,
			List<AttemptLog.Answer> answers) {
		if (outcomes.isEmpty() && release.isEmpty() && answers.isEmpty()) {
			return Map.of();
		}
		return ownTransaction.execute(tx -> {
			AttemptLog.insertAnswers(jdbc, answers);
			Map<Long, SubmitOutcome> recorded = outcomes.isEmpty() ? Map.of()
					: OutcomeRecords.record(jdbc, outcomes, clockSkew);
			if (!release.isEmpty()) {
				jdbc.update("UPDATE refund_row r SET status = v.status, attempts = " + AttemptLog.ATTEMPTS_OF_ROW
						+ " FROM unnest(?::bigint[], ?::text[]) AS v(row_id, status) "
						+ "WHERE r.row_id = v.row_id AND r.status = 'SENDING'", release.keySet().toArray(new Long[0]),
						release.values().stream().map(Enum::name).toArray(String[]::new));
			}
			return recorded;
		});
	}

	/**
	 * Settles a maybe-sent row from reconciliation that found no refund of it (RETRYABLE) or could not decide
	 * (UNKNOWN), with the evidence the decision was made on.
	 */
	public void settle(long rowId, RowStatus status, String evidence) {
		ownTransaction.executeWithoutResult(tx -> jdbc.update("UPDATE refund_row SET status = ?, evidence = ?, "
				+ "last_checked_at = now(), finished_at = CASE WHEN ? THEN now() END "
				+ "WHERE row_id = ? AND status IN ('SENDING', 'UNKNOWN')", status.name(), evidence,
				RowStatus.FINAL.contains(status), rowId));
	}

	/**
	 * Settles a row from the refund objects the provider shows now, in one committed transaction of its own: the parts
	 * the row owns take their current status; a row that owns none takes the unowned ones of its time window (see
	 * {@link RefundParts}); then the row's status is the rule's reading of its parts.
	 * @param from the statuses the row must still be in; otherwise nothing is done (another process moved it)
	 * @param seen the provider's refund objects: all of the group's (Rapyd) or this row's (issuer)
	 * @param withoutParts what the row becomes when it owns no part even then; null: PENDING (not listed yet)
	 * @param evidence what the decision was made on, replacing earlier evidence; null clears it
	 * @return what changed; empty when the row was no longer in {@code from}
	 */
	public Optional<RowChange> settleFromParts(long rowId, Collection<RowStatus> from, List<RefundPart> seen,
			String providerCurrency, Settlement withoutParts, String evidence) {
		return ownTransaction.execute(tx -> RowSettler.settle(jdbc, clockSkew, rowId, from, seen, providerCurrency,
				withoutParts, evidence));
	}

	/** The refund objects among {@code seen} that no row owns and that fall in this row's time window. */
	public List<RefundPart> unownedForRow(long rowId, String provider, List<RefundPart> seen) {
		return RowSettler.unowned(jdbc, clockSkew, rowId, provider, seen);
	}

	/** The refund parts a row owns, oldest first. */
	public List<RefundPart> parts(long rowId) {
		return RefundParts.of(jdbc, List.of(rowId)).getOrDefault(rowId, List.of());
	}

	/**
	 * What this ledger knows the provider refunded on a group, other than one row: what its rows' parts still hold
	 * (or the amounts of SUCCEEDED/PENDING rows without known parts), whether one of those was a whole-group refund
	 * without known parts, how many other rows of the group are themselves unsettled (SENDING/UNKNOWN), and how many
	 * are PENDING with no part known.
	 */
	public GroupHistory groupHistory(String provider, String groupId, long excludingRowId) {
		// A row with parts counts what its parts still hold (a Rejected or Error part gave the money back, as the
		// provider's refunded figure says); a row accepted without known parts counts its amount.
		return jdbc.queryForObject("SELECT COALESCE(SUM(CASE WHEN p.n > 0 THEN p.live ELSE r.amount END) "
				+ "FILTER (WHERE p.n > 0 OR r.status IN ('SUCCEEDED', 'PENDING')), 0), "
				+ "COUNT(*) FILTER (WHERE r.status IN ('SUCCEEDED', 'PENDING') AND r.amount IS NULL AND p.n = 0), "
				+ "COUNT(*) FILTER (WHERE r.status IN ('SENDING', 'UNKNOWN')), "
				+ "COUNT(*) FILTER (WHERE r.status = 'PENDING' AND p.n = 0) "
				+ "FROM refund_row r CROSS JOIN LATERAL (SELECT COUNT(*) AS n, COALESCE(SUM(amount) FILTER (WHERE "
				+ "state <> 'FAILED'), 0) AS live FROM refund_part WHERE row_id = r.row_id) p "
				+ "WHERE r.provider = ? AND r.group_id = ? AND r.row_id <> ?",
				(rs, n) -> new GroupHistory(rs.getBigDecimal(1), rs.getInt(2) > 0, rs.getInt(3), rs.getInt(4)), provider,
				groupId,
				excludingRowId);
	}

	/**
	 * See {@link #groupHistory}. {@code otherPendingWithoutParts}: other rows accepted whose refund objects are not
	 * known yet; the unowned objects on the group may be theirs.
	 */
	public record GroupHistory(BigDecimal settledAmount, boolean settledFullRefund, int otherUnsettled,
			int otherPendingWithoutParts) {

		public GroupHistory(BigDecimal settledAmount, boolean settledFullRefund, int otherUnsettled) {
			this(settledAmount, settledFullRefund, otherUnsettled, 0);
		}

	}

	/**
	 * An outcome to record for a claimed row.
	 * @param claimCounted the row's {@code attempts} are right as its claim left them: since it was last recorded, one
	 * claim (which counted one attempt) and that attempt's answer, which counts. Otherwise (retries after a 429, an
	 * attempt never sent, a second claim) {@code attempts} is recounted from its attempt rows. (An attempt whose answer
	 * died with its process, a 429 or not, is counted by the next recount of its row only; {@code history} shows it.)
	 */
	public record RecordedOutcome(long rowId, SubmitOutcome outcome, boolean claimCounted) {

		public RecordedOutcome(long rowId, SubmitOutcome outcome) {
			this(rowId, outcome, false);
		}

	}

	// ---- preflight

	/** A batch's READY rows, streamed in group then line order (a million rows are never held at once). */
	public void forEachReadyRowByGroup(long batchId, java.util.function.Consumer<LedgerRow> each) {
		JdbcTemplate streaming = new JdbcTemplate(jdbc.getDataSource());
		streaming.setFetchSize(1000);
		streaming.query("SELECT " + ROW_COLUMNS + " FROM refund_row WHERE batch_id = ? AND status = 'READY' "
				+ "ORDER BY group_id, line_number", (ResultSet rs) -> {
					each.accept(ROW_MAPPER.mapRow(rs, 0));
				}, batchId);
	}

	/** Rows the preflight found cannot succeed: REJECTED with the reason, never sent; one committed transaction. */
	public void reject(Map<Long, String> reasons) {
		if (reasons.isEmpty()) {
			return;
		}
		ownTransaction.executeWithoutResult(tx -> jdbc.update("UPDATE refund_row r SET status = 'REJECTED', "
				+ "rejection = v.reason, finished_at = now() FROM unnest(?::bigint[], ?::text[]) AS v(row_id, reason) "
				+ "WHERE r.row_id = v.row_id AND r.status = 'READY'", reasons.keySet().toArray(new Long[0]),
				reasons.values().toArray(new String[0])));
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
