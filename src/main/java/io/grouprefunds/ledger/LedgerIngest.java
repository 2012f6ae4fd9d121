package io.grouprefunds.ledger;

import io.grouprefunds.domain.IdempotencyKey;
import io.grouprefunds.domain.RowStatus;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.util.PSQLException;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Records ingest's chunks of validated rows in {@code refund_row}: per chunk one set-based duplicate check and one
 * {@code COPY}, in the caller's (chunk) transaction, so a chunk and the reader's position commit together.
 *
 * <p>Why not one {@code INSERT} per row: a 100,000-row file then cost minutes on a server (the duplicate check as
 * {@code request_id = ANY (?)} was planned, once generic, as a scan of the whole ledger per chunk), seconds now.
 */
@Component
public class LedgerIngest {

	private static final String COPY = "COPY refund_row (batch_id, line_number, provider, request_id, group_id, "
			+ "amount, amount_text, currency, reason, status, rejection, idempotency_key, finished_at, source_fields) "
			+ "FROM STDIN";

	private final JdbcTemplate jdbc;

	public LedgerIngest(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records a chunk of validated rows in the caller's transaction. A request_id already used, by an earlier batch or
	 * earlier in this file, turns the row REJECTED here; the partial unique index makes it impossible for a second
	 * READY row to slip through anyway (a row of another process not yet committed makes this chunk wait for it).
	 *
	 * <p>Optimistic: the chunk is copied with only its own repeats rejected, under a savepoint, and that unique index
	 * is the duplicate check. Only when it refuses a row (a request_id an earlier chunk or batch used) is the copy
	 * rolled back to the savepoint and the chunk checked against the ledger (one index probe per id) and copied again.
	 * The probes were a tenth of the server's work per chunk; a file without such ids no longer pays for them.
	 */
	public void insertEntries(long batchId, String provider, List<LedgerEntry> entries) {
		if (entries.isEmpty()) {
			return;
		}
		lockBatch(batchId);
		Boolean copied = jdbc.execute((ConnectionCallback<Boolean>) connection -> {
			if (connection.getAutoCommit()) {
				return false; // no transaction of the caller's, no savepoint: check first
			}
			Savepoint beforeCopy = connection.setSavepoint();
			try {
				List<LedgerEntry> ownRepeats = checkDuplicates(batchId, provider, entries, false);
				copy(connection, batchId, provider, finishedAt(ownRepeats), ownRepeats);
				connection.releaseSavepoint(beforeCopy);
				return true;
			}
			catch (SQLException ex) {
				if (!requestIdTaken(ex)) {
					throw ex;
				}
				connection.rollback(beforeCopy);
				return false;
			}
		});
		if (!Boolean.TRUE.equals(copied)) {
			List<LedgerEntry> checked = checkDuplicates(batchId, provider, entries, true);
			String finishedAt = finishedAt(checked);
			jdbc.execute((ConnectionCallback<Void>) connection -> copy(connection, batchId, provider, finishedAt,
					checked));
		}
	}

	/**
	 * What the foreign key refund_row.batch_id -> refund_batch checked for every row until V11, once per chunk: the
	 * batch is there, locked as the key would have locked it (FOR KEY SHARE) until the chunk commits. Batches are
	 * never deleted (a trigger refuses it), so the rows' batch stays there.
	 *
	 * <p>In the same statement, the chunk's transaction stops waiting for its WAL to reach the disk at commit
	 * ({@code synchronous_commit} off, for this transaction only). What that risks is harmless here: a server crash
	 * may lose the last chunks committed, whole and in order, with the reader's position committed alongside them, so
	 * a restart reads them again; and nothing of the batch is sent before the gate step's own commit, synchronous,
	 * which flushes the WAL up to it, every chunk's included. Every other transaction (claims, attempts, outcomes)
	 * keeps waiting for the disk: the setting ends with the chunk's transaction ({@code LedgerIngestIT}).
	 */
	private void lockBatch(long batchId) {
		if (jdbc.query("SELECT set_config('synchronous_commit', 'off', true) FROM refund_batch WHERE batch_id = ? "
				+ "FOR KEY SHARE", (ResultSet rs) -> rs.next(), batchId) != Boolean.TRUE) {
			throw new IllegalStateException("batch " + batchId + " is not in refund_batch: its rows are not recorded");
		}
	}

	/** The unique index on (provider, request_id) of live rows refused a row. */
	private static boolean requestIdTaken(SQLException ex) {
		return ex instanceof PSQLException psql && "23505".equals(psql.getSQLState())
				&& psql.getServerErrorMessage() != null
				&& "refund_row_request_once".equals(psql.getServerErrorMessage().getConstraint());
	}

	/**
	 * When the chunk's REJECTED rows are finished: the transaction's time, as now() would have set it; asked only
	 * when the chunk has such rows (a round trip per chunk less in the usual case).
	 */
	private String finishedAt(List<LedgerEntry> entries) {
		for (LedgerEntry entry : entries) {
			if (entry.status() == RowStatus.REJECTED) {
				return jdbc.queryForObject("SELECT now()::text", String.class);
			}
		}
		return null;
	}

	/**
	 * The entries with every READY row whose request_id is taken turned REJECTED: taken by a live row of the ledger
	 * (this batch's earlier chunks or another batch of the provider; only when {@code askLedger}), or by an earlier
	 * line of this chunk.
	 */
	private List<LedgerEntry> checkDuplicates(long batchId, String provider, List<LedgerEntry> entries,
			boolean askLedger) {
		// request_id -> where it was first used: a line of this file (Integer) or another batch's message (String)
		Map<String, Object> used = new HashMap<>(entries.size() * 2);
		Set<String> requestIds = askLedger ? readyRequestIds(entries) : Set.of();
		if (!requestIds.isEmpty()) {
			// One probe of the partial unique index (provider, request_id) per id, whatever the statistics say (a
			// ledger never analysed has none): as "= ANY (?)", or as a plain join, the planner scanned every live
			// row of the provider per chunk (0.8 s per chunk of 5,000 with 700,000 rows); a LATERAL ... LIMIT 1 it
			// can only run as a nested loop over the index.
			jdbc.query("SELECT r.request_id, r.batch_id, r.line_number FROM unnest(?::varchar[]) AS q(request_id) "
					+ "CROSS JOIN LATERAL (SELECT r.request_id, r.batch_id, r.line_number FROM refund_row r "
					+ "WHERE r.provider = ? AND r.request_id = q.request_id AND r.status <> 'REJECTED' LIMIT 1) r",
					(ResultSet rs) -> {
						used.put(rs.getString(1), rs.getLong(2) == batchId ? (Object) rs.getInt(3)
								: "by batch " + rs.getLong(2) + " (line " + rs.getInt(3) + "); a refund is sent once only");
					}, (Object) requestIds.toArray(new String[0]), provider);
		}
		List<LedgerEntry> checked = new ArrayList<>(entries.size());
		for (LedgerEntry entry : entries) {
			if (entry.status() == RowStatus.READY) {
				// The line, not its message, for every row: the message is built only for the rare repeated id.
				Object first = used.putIfAbsent(entry.requestId(), entry.lineNumber());
				if (first != null) {
					entry = entry.rejected("request_id " + entry.requestId() + " was already used "
							+ (first instanceof Integer line ? "at line " + line + " of this file" : first));
				}
			}
			checked.add(entry);
		}
		return checked;
	}

	private static Set<String> readyRequestIds(List<LedgerEntry> entries) {
		Set<String> requestIds = new LinkedHashSet<>();
		for (LedgerEntry entry : entries) {
			if (entry.status() == RowStatus.READY) {
				requestIds.add(entry.requestId());
			}
		}
		return requestIds;
	}

	/**
	 * One COPY of the entries, sent while it is written: a block of rows at a time, so the server inserts the first
	 * rows while the next ones are formatted (the chunk's formatting used to wait for the server, and the server for it).
	 */
	private static Void copy(Connection connection, long batchId, String provider, String finishedAt,
			List<LedgerEntry> entries) throws SQLException {
		CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
		try {
			StringBuilder block = new StringBuilder(COPY_BLOCK + 1024);
			String batch = Long.toString(batchId);
			for (LedgerEntry entry : entries) {
				requireDerivedKey(provider, entry);
				CopyText.row(block, batch, provider, finishedAt, entry);
				if (block.length() >= COPY_BLOCK) {
					send(copy, block);
				}
			}
			send(copy, block);
			copy.endCopy();
		}
		finally {
			if (copy.isActive()) {
				copy.cancelCopy();
			}
		}
		return null;
	}

	/**
	 * The ledger keeps no unique index on the idempotency key (V9): it is unique because it is derived from
	 * (provider, request_id), which is unique. This writer is the only one: it holds that line, for every READY row,
	 * while the COPY is under way (a row refused here cancels the COPY, and the chunk's transaction rolls back).
	 */
	private static void requireDerivedKey(String provider, LedgerEntry entry) {
		if (entry.status() == RowStatus.READY
				&& !IdempotencyKey.of(provider, entry.requestId()).equals(entry.idempotencyKey())) {
			throw new IllegalStateException("line " + entry.lineNumber() + ": the idempotency key is not the one "
					+ "derived from provider and request_id; not recorded");
		}
	}

	/** About 200 rows of COPY text: small enough for the server to start early, large enough to cost nothing. */
	private static final int COPY_BLOCK = 64 * 1024;

	private static void send(CopyIn copy, StringBuilder block) throws SQLException {
		if (block.length() > 0) {
			byte[] bytes = block.toString().getBytes(StandardCharsets.UTF_8);
			copy.writeToCopy(bytes, 0, bytes.length);
			block.setLength(0);
		}
	}

	/** PostgreSQL's COPY text format: tab-separated, {@code \N} for NULL, backslash escapes. */
	static final class CopyText {

		private CopyText() {
		}

		/** One row of the COPY, its line end included; {@code finishedAt} is written for REJECTED rows only. */
		static void row(StringBuilder out, String batch, String provider, String finishedAt, LedgerEntry e) {
			out.append(batch).append('\t').append(e.lineNumber()).append('\t');
			field(out, provider).append('\t');
			field(out, e.requestId()).append('\t');
			field(out, e.groupId()).append('\t');
			field(out, e.amount() == null ? null : e.amount().toPlainString()).append('\t');
			field(out, e.amountText()).append('\t');
			field(out, e.currency()).append('\t');
			field(out, e.reason()).append('\t');
			out.append(e.status().name()).append('\t');
			field(out, e.rejection()).append('\t');
			field(out, e.idempotencyKey()).append('\t');
			field(out, e.status() == RowStatus.REJECTED ? finishedAt : null).append('\t');
			array(out, e.sourceFields()).append('\n');
		}

		static StringBuilder field(StringBuilder out, String value) {
			if (value == null) {
				return out.append("\\N");
			}
			if (plain(value)) {
				return out.append(value);
			}
			for (int i = 0; i < value.length(); i++) {
				escape(out, value.charAt(i));
			}
			return out;
		}

		/**
		 * A text[] literal ({@code {"a","b"}}, every element quoted, {@code "} and {@code \} escaped with a
		 * backslash), written escaped for COPY; an empty list is NULL.
		 */
		static StringBuilder array(StringBuilder out, List<String> values) {
			if (values.isEmpty()) {
				return out.append("\\N");
			}
			out.append('{');
			for (int i = 0; i < values.size(); i++) {
				if (i > 0) {
					out.append(',');
				}
				out.append('"');
				String value = values.get(i);
				if (plain(value) && value.indexOf('"') < 0) {
					out.append(value);
				}
				else {
					for (int j = 0; j < value.length(); j++) {
						char c = value.charAt(j);
						if (c == '"') {
							out.append("\\\\\""); // the array's \" with its backslash doubled for COPY
						}
						else if (c == '\\') {
							out.append("\\\\\\\\"); // the array's \\, each backslash doubled for COPY
						}
						else {
							escape(out, c);
						}
					}
				}
				out.append('"');
			}
			return out.append('}');
		}

		private static void escape(StringBuilder out, char c) {
			switch (c) {
				case '\\' -> out.append("\\\\");
				case '\t' -> out.append("\\t");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				default -> out.append(c);
			}
		}

		/** Nothing in it that COPY's text format would read as a separator or an escape. */
		private static boolean plain(String value) {
			for (int i = 0; i < value.length(); i++) {
				char c = value.charAt(i);
				if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
					return false;
				}
			}
			return true;
		}

	}

}
