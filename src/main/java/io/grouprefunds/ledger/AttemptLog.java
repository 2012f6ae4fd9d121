package io.grouprefunds.ledger;

import java.net.InetAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.grouprefunds.domain.SubmitOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The attempt log ({@code refund_attempt}, {@code refund_attempt_answer}, V5): one row per HTTP request the job sends
 * for a ledger row, committed before the request leaves, and at most one answer per attempt. Append-only: nothing here
 * updates or deletes (the database refuses it anyway).
 *
 * <p>The first REFUND attempt of each claimed row is written by {@link Ledger#claim} in the claim's own transaction;
 * the answers of a chunk by {@link Ledger#recordChunk} in the chunk's recording transaction. This class writes the
 * rest: further REFUND attempts (retries, resends), batched, and the QUERY attempts of reconciliation, each batch in
 * one committed transaction of its own.
 */
@Component
public class AttemptLog {

	/** host:pid of this JVM, as the attempt rows name the process that sent them. */
	public static final String PROCESS = hostName() + ":" + ProcessHandle.current().pid();

	/** A REFUND request's answer that is a 429: the provider looked at nothing; it does not count as an attempt. */
	public static final String RATE_LIMITED = "RATE_LIMITED";

	/** An attempt recorded but never sent (the pipeline stopped, the breaker gave up, a failed chunk). */
	public static final String NOT_SENT = "NOT_SENT";

	/** A REFUND answer that refused our credentials or configuration (the job stops). */
	public static final String CONFIG_ERROR = "CONFIG_ERROR";

	/** Outcomes of a QUERY attempt. */
	public static final String ANSWERED = "ANSWERED";

	public static final String NOT_FOUND = "NOT_FOUND";

	public static final String FAILED = "FAILED";

	/** {@code refund_row.attempts}: the row's REFUND attempts but those answered 429 or never sent. */
	static final String ATTEMPTS_OF_ROW = "(SELECT COUNT(*) FROM refund_attempt a LEFT JOIN refund_attempt_answer w "
			+ "ON w.attempt_id = a.attempt_id WHERE a.row_id = r.row_id AND a.kind = 'REFUND' "
			+ "AND w.outcome IS DISTINCT FROM 'RATE_LIMITED' AND w.outcome IS DISTINCT FROM 'NOT_SENT')";

	static final RowMapper<Attempt> ATTEMPT = (rs, n) -> new Attempt(rs.getLong("attempt_id"), rs.getLong("row_id"),
			rs.getInt("attempt_no"));

	/** The next attempt number of a row and kind (the kind is a parameter): 1, 2, 3, … across claims and processes. */
	private static String nextNo(String rowId) {
		return "COALESCE((SELECT MAX(p.attempt_no) FROM refund_attempt p WHERE p.row_id = " + rowId
				+ " AND p.kind = ?), 0) + 1";
	}

	/** One attempt row, as committed. */
	public record Attempt(long attemptId, long rowId, int attemptNo) {
	}

	/**
	 * What became of one attempt.
	 * @param sentAt null: it never left
	 * @param answeredAt null: no answer came (timeout, connection lost or refused)
	 */
	public record Answer(long attemptId, Instant sentAt, Instant answeredAt, Integer httpStatus, String outcome,
			String providerReference, String providerErrorCode) {

		/** Whether it counts in {@code refund_row.attempts}: the rule of {@link #ATTEMPTS_OF_ROW}, for one answer. */
		public boolean counts() {
			return !RATE_LIMITED.equals(outcome) && !NOT_SENT.equals(outcome);
		}

		/** An attempt that never left. */
		public static Answer notSent(long attemptId) {
			return new Answer(attemptId, null, null, null, NOT_SENT, null, null);
		}

		/** A REFUND attempt that left at {@code sentAt} and came to {@code outcome} (null: nothing came back). */
		public static Answer of(long attemptId, Instant sentAt, Instant answeredAt, SubmitOutcome outcome) {
			if (outcome == null) {
				return new Answer(attemptId, sentAt, null, null, "UNKNOWN", null, null);
			}
			return new Answer(attemptId, sentAt, outcome.httpStatus() == null ? null : answeredAt,
					outcome.httpStatus(), classified(outcome), outcome.operationId(), outcome.errorCode());
		}

	}

	private final JdbcTemplate jdbc;

	private final TransactionTemplate ownTransaction;

	public AttemptLog(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, MeterRegistry registry) {
		writes = Timer.builder("refunds.attempts.write")
			.description("time spent writing attempt rows and their answers (the audit trail's cost)")
			.register(registry);
		this.jdbc = jdbc;
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * The classified outcome of a REFUND answer, as {@code refund_attempt_answer.outcome} keeps it: the status the
	 * adapter gave it ({@link SubmitOutcome#status()}, provisional for an accepted refund), but RATE_LIMITED for a 429
	 * and CONFIG_ERROR for credentials or configuration refused.
	 */
	public static String classified(SubmitOutcome outcome) {
		if (outcome.retry() == SubmitOutcome.Retry.STOP_JOB) {
			return CONFIG_ERROR;
		}
		if (outcome.retry() == SubmitOutcome.Retry.NOW && Integer.valueOf(429).equals(outcome.httpStatus())) {
			return RATE_LIMITED;
		}
		return outcome.status().name();
	}

	/**
	 * Further REFUND attempts of rows already claimed (SENDING): one committed transaction, one statement, for all of
	 * them. Their requests may leave once this returns.
	 */
	public List<Attempt> nextRefunds(Collection<Long> rowIds, Long jobExecutionId) {
		return timed(() -> ownTransaction.execute(tx -> insert(jdbc, "REFUND", rowIds, jobExecutionId,
				"r.status = 'SENDING'")));
	}

	/** QUERY attempts about rows (reconciliation asking the provider), committed before the query leaves. */
	public List<Attempt> queries(Collection<Long> rowIds, Long jobExecutionId) {
		return ownTransaction.execute(tx -> insert(jdbc, "QUERY", rowIds, jobExecutionId, "TRUE"));
	}

	/** Answers of attempts that are not part of a chunk's recording (QUERY attempts), in one transaction. */
	public void answer(List<Answer> answers) {
		if (!answers.isEmpty()) {
			ownTransaction.executeWithoutResult(tx -> insertAnswers(jdbc, answers));
		}
	}

	/** Inserts attempts of one kind for rows, in the caller's transaction; rows not matching {@code where} get none. */
	static List<Attempt> insert(JdbcTemplate jdbc, String kind, Collection<Long> rowIds, Long jobExecutionId,
			String where) {
		if (rowIds.isEmpty()) {
			return List.of();
		}
		return jdbc.query("INSERT INTO refund_attempt (row_id, kind, attempt_no, idempotency_key, job_execution_id, "
				+ "process) SELECT r.row_id, ?, " + nextNo("r.row_id") + ", "
				+ "CASE WHEN ? = 'REFUND' THEN r.idempotency_key END, ?, ? FROM refund_row r "
				+ "WHERE r.row_id = ANY (?) AND " + where + " ORDER BY r.row_id "
				+ "RETURNING attempt_id, row_id, attempt_no", ATTEMPT, kind, kind, kind, jobExecutionId, PROCESS,
				rowIds.toArray(new Long[0]));
	}

	/**
	 * The claim and the first REFUND attempt of each claimed row, in the caller's transaction and one statement (one
	 * round trip on the way of every chunk's requests): the rows still sendable become SENDING with the attempt
	 * counted, and each gets its attempt row. The status-change events of the claim are stamped with the statement's
	 * start (V10), so {@code history} tells {@code READY -> SENDING} before the attempt written later in the statement.
	 */
	static List<Attempt> claim(JdbcTemplate jdbc, Collection<Long> rowIds, Long jobExecutionId) {
		return timed(() -> jdbc.query("WITH claimed AS (UPDATE refund_row SET status = 'SENDING', "
				+ "attempts = attempts + 1, sent_at = now() WHERE row_id = ANY (?) "
				+ "AND status IN ('READY', 'RETRYABLE', 'SENDING', 'UNKNOWN') RETURNING row_id, idempotency_key) "
				+ "INSERT INTO refund_attempt (row_id, kind, attempt_no, idempotency_key, job_execution_id, process) "
				+ "SELECT c.row_id, 'REFUND', " + nextNo("c.row_id") + ", c.idempotency_key, ?, ? FROM claimed c "
				+ "ORDER BY c.row_id RETURNING attempt_id, row_id, attempt_no", ATTEMPT, rowIds.toArray(new Long[0]),
				"REFUND", jobExecutionId, PROCESS));
	}

	/** How long this process spent writing attempt rows and answers: {@code refunds.attempts.write} (a timer). */
	private static volatile Timer writes;

	private static <T> T timed(Supplier<T> write) {
		Timer timer = writes;
		if (timer == null) {
			return write.get();
		}
		long started = System.nanoTime();
		try {
			return write.get();
		}
		finally {
			timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
		}
	}

	/** Inserts answers in the caller's transaction: one statement for all of them. */
	static void insertAnswers(JdbcTemplate jdbc, List<Answer> answers) {
		if (!answers.isEmpty()) {
			timed(() -> jdbc.update(ANSWERS, answerParameters(answers)));
		}
	}

	/** A time sent as microseconds since the epoch: integer arithmetic, where a text timestamp is parsed. */
	private static String fromEpochMicros(String column) {
		return "TIMESTAMPTZ 'epoch' + " + column + " * INTERVAL '1 microsecond'";
	}

	private static final String ANSWERS = "INSERT INTO refund_attempt_answer (attempt_id, sent_at, answered_at, "
			+ "http_status, outcome, provider_reference, provider_error_code) SELECT v.id, "
			+ fromEpochMicros("v.sent") + ", " + fromEpochMicros("v.answered") + ", v.status, v.outcome, v.reference, "
			+ "v.code FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::int[], ?::text[], ?::text[], ?::text[]) "
			+ "AS v(id, sent, answered, status, outcome, reference, code)";

	private static Long epochMicros(Instant time) {
		return time == null ? null : ChronoUnit.MICROS.between(Instant.EPOCH, time);
	}

	private static Object[] answerParameters(List<Answer> answers) {
		int n = answers.size();
		Long[] ids = new Long[n];
		Long[] sent = new Long[n];
		Long[] answered = new Long[n];
		Integer[] statuses = new Integer[n];
		String[] outcomes = new String[n];
		String[] references = new String[n];
		String[] codes = new String[n];
		for (int i = 0; i < n; i++) {
			Answer a = answers.get(i);
			ids[i] = a.attemptId();
			sent[i] = epochMicros(a.sentAt());
			answered[i] = epochMicros(a.answeredAt());
			statuses[i] = a.httpStatus();
			outcomes[i] = a.outcome();
			references[i] = a.providerReference();
			codes[i] = a.providerErrorCode();
		}
		return new Object[] { ids, sent, answered, statuses, outcomes, references, codes };
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			return "unknown-host";
		}
	}

}
