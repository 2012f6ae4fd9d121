package io.grouprefunds.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.ledger.BatchLocks;
import io.grouprefunds.ledger.BatchRecord;
import io.grouprefunds.ledger.DecisionEvent;
import io.grouprefunds.ledger.DecisionEvents;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.StatusTotal;

import org.springframework.stereotype.Component;

/**
 * What {@code status} shows: a batch's rows and amounts, the state of its executions (from Spring Batch's own
 * tables), its PENDING rows with their age, the rows a person must look at, and the next command to run; without a
 * batch, the recent batches one line each. Reads only.
 */
@Component
public class BatchStatus {

	private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
		.withZone(ZoneOffset.UTC);

	private static final int LISTED = 20;

	private final Ledger ledger;

	private final ReportQueries queries;

	private final BatchReport report;

	private final BatchLocks locks;

	private final Clock clock;

	private final DecisionEvents events;

	BatchStatus(Ledger ledger, ReportQueries queries, BatchReport report, BatchLocks locks, Clock clock,
			DecisionEvents events) {
		this.events = events;
		this.ledger = ledger;
		this.queries = queries;
		this.report = report;
		this.locks = locks;
		this.clock = clock;
	}

	/** One execution of a batch's jobs, as Spring Batch recorded it. */
	record Execution(String job, long id, String status, String exitCode, Instant start, Instant end) {
	}

	/** {@code status BATCH}. */
	public String describe(long batchId) {
		BatchRecord batch = ledger.findBatch(batchId).orElseThrow();
		StringBuilder text = new StringBuilder(report.summary(batchId));
		List<Execution> executions = executions(batchId);
		String state = state(batch, executions);
		text.append("  execution: ").append(state);
		for (Execution e : executions) {
			text.append(System.lineSeparator()).append(String.format("    %s #%d %s (exit %s) %s%s", e.job(), e.id(),
					e.status(), e.exitCode(), e.start() == null ? "" : "started " + UTC.format(e.start()) + " UTC",
					e.end() == null ? "" : ", ended " + UTC.format(e.end()) + " UTC"));
		}
		text.append(System.lineSeparator());
		approval(batchId).forEach(line -> text.append("  ").append(line).append(System.lineSeparator()));
		List<String> pending = queries.pendingRows(batchId, LISTED, (rs, n) -> String.format("    line %d  %s  %s  %s %s  pending for %s%s%s",
						rs.getInt(1), rs.getString(2), rs.getString(3),
						rs.getBigDecimal(4) == null ? "whole group" : BatchReport.refundedText(rs.getBigDecimal(4),
								rs.getString(5)), rs.getString(5), age(rs.getTimestamp(6).toInstant()),
						rs.getString(8) == null ? "; no refund object listed yet" : "; parts: " + rs.getString(8),
						rs.getTimestamp(7) == null ? "" : "; last checked " + UTC.format(rs.getTimestamp(7).toInstant())
								+ " UTC"));
		Map<RowStatus, Integer> rows = counts(batchId);
		if (!pending.isEmpty()) {
			text.append("  PENDING rows (").append(rows.get(RowStatus.PENDING)).append("), oldest first:")
				.append(System.lineSeparator());
			pending.forEach(line -> text.append(line).append(System.lineSeparator()));
		}
		List<String> outcomes = queries.rowsForAPerson(batchId, LISTED, (rs, n) -> String.format("    line %d  %s  %s  refunded %s %s of %s %s: %s", rs.getInt(1),
						rs.getString(2), rs.getString(3),
						BatchReport.refundedText(rs.getBigDecimal(4), rs.getString(5)), nonNull(rs.getString(5)),
						rs.getBigDecimal(6) == null ? "the whole group" : BatchReport.refundedText(rs.getBigDecimal(6),
								rs.getString(7)), rs.getString(7),
						String.join(" ", nonNull(rs.getString(9)), nonNull(rs.getString(10)), rs.getString(8) == null
								? "" : "(provider status " + rs.getString(8) + ")").strip()));
		if (!outcomes.isEmpty()) {
			text.append("  DECLINED and DISCREPANCY rows, for a person:").append(System.lineSeparator());
			outcomes.forEach(line -> text.append(line).append(System.lineSeparator()));
		}
		text.append("  next: ").append(next(batch, executions, rows)).append(System.lineSeparator());
		return text.toString();
	}

	/** {@code status} without a batch: the most recent batches, newest first. */
	public String recent(int limit) {
		List<Long> ids = queries.recentBatchIds(limit);
		StringBuilder text = new StringBuilder();
		text.append(String.format("the %d most recent batch(es); `status BATCH` shows one in full%n", ids.size()));
		ids.forEach(id -> text.append(oneLine(id)).append(System.lineSeparator()));
		return text.toString();
	}

	/** The next command to run for a batch, in the operator's words. */
	public String nextCommand(long batchId) {
		BatchRecord batch = ledger.findBatch(batchId).orElseThrow();
		return next(batch, executions(batchId), counts(batchId));
	}

	/** A batch in one line: file, execution state, rows per status, next command. */
	public String oneLine(long batchId) {
		BatchRecord batch = ledger.findBatch(batchId).orElseThrow();
		List<Execution> executions = executions(batchId);
		Map<RowStatus, Integer> rows = counts(batchId);
		Instant created = queries.createdAt(batchId);
		DecisionEvents.ApprovalState approval = events.approvalState(batchId);
		String who = approval.submitter().map(user -> "  submitted by " + user).orElse("")
				+ approval.approved().map(a -> ", approved by " + a.dbUser()).orElse("");
		return String.format("batch %d  %s  %s  created %s UTC%s  %s  %s  next: %s", batchId, batch.provider(),
				batch.fileName(), UTC.format(created), who, state(batch, executions), rows,
				next(batch, executions, rows));
	}

	List<Execution> executions(long batchId) {
		return queries.executions(batchId, (rs, n) -> new Execution(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
						rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant(),
						rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant()));
	}

	/** The batch's state in a word or two: REFUSED, NOT STARTED, or its latest execution's status. */
	String state(BatchRecord batch, List<Execution> executions) {
		if ("REFUSED".equals(batch.state())) {
			return "REFUSED";
		}
		if (events.approvalState(batch.batchId()).waiting()) {
			return "WAITING FOR APPROVAL (nothing sent)";
		}
		Optional<Execution> latest = latest(executions, "refundJob");
		if (latest.isEmpty()) {
			return "NOT STARTED";
		}
		String status = latest.get().status();
		Optional<Execution> rerun = latest(executions, "rerunJob");
		if (isRunning(status) || rerun.map(r -> isRunning(r.status())).orElse(false)) {
			return alive(batch) ? "RUNNING (a live process holds the batch)"
					: "STARTED, but no process runs it (killed or crashed)";
		}
		return rerun.map(r -> status + ", re-run " + r.status()).orElse(status);
	}

	/** The next command to run, in the operator's words. */
	String next(BatchRecord batch, List<Execution> executions, Map<RowStatus, Integer> rows) {
		long id = batch.batchId();
		if ("REFUSED".equals(batch.state())) {
			return "nothing was sent; fix the file and run the corrected file";
		}
		String state = state(batch, executions);
		if (state.startsWith("RUNNING")) {
			return "wait: another process is running it";
		}
		if (state.startsWith("WAITING FOR APPROVAL")) {
			return "`approve " + id + " --note TEXT` by a database login other than the submitter's ("
					+ events.approvalState(id).submitter().orElse("?") + "), then `restart " + id
					+ "` (or run the same file again) sends it";
		}
		boolean completed = latest(executions, "refundJob").map(e -> "COMPLETED".equals(e.status())).orElse(false);
		if (!completed || rows.getOrDefault(RowStatus.READY, 0) > 0) {
			return "`restart " + id + "` (its run did not complete)";
		}
		Optional<Execution> rerun = latest(executions, "rerunJob");
		if (rerun.isPresent() && !"COMPLETED".equals(rerun.get().status())) {
			return "`rerun-failed " + id + "` (resumes its unfinished re-run)";
		}
		if (rows.getOrDefault(RowStatus.SENDING, 0) + rows.getOrDefault(RowStatus.UNKNOWN, 0) > 0) {
			return "`reconcile " + id + "` (rows may have reached the provider), then `rerun-failed " + id
					+ "` for what it proves was not applied";
		}
		if (rows.getOrDefault(RowStatus.RETRYABLE, 0) > 0) {
			return "`rerun-failed " + id + "` (" + rows.get(RowStatus.RETRYABLE) + " row(s) provably not processed)";
		}
		if (rows.getOrDefault(RowStatus.PENDING, 0) > 0) {
			return "`reconcile " + id + "` when the provider has settled them (the nightly run does it): "
					+ rows.get(RowStatus.PENDING) + " row(s) PENDING";
		}
		int person = RowStatus.NEEDS_A_PERSON.stream().mapToInt(s -> rows.getOrDefault(s, 0)).sum();
		if (person > 0) {
			return "a person reviews the " + person + " REJECTED, DECLINED or DISCREPANCY row(s) (result file "
					+ report.resultFile(id) + ")";
		}
		return "nothing: every row SUCCEEDED";
	}

	/** Who submitted the batch, and who approved it or that it waits for an approval. */
	List<String> approval(long batchId) {
		DecisionEvents.ApprovalState state = events.approvalState(batchId);
		List<String> lines = new java.util.ArrayList<>();
		state.submitted().ifPresent(run -> lines.add("submitted by " + run.actor(UTC)));
		state.required().ifPresent(required -> lines.add("needs approval: " + required.detail()));
		if (state.approved().isPresent()) {
			DecisionEvent approved = state.approved().get();
			lines.add("approved by " + approved.actor(UTC) + (approved.detail() == null ? "" : " (" + approved.detail()
					+ ")"));
		}
		else if (state.required().isPresent()) {
			lines.add("waiting for approval by a database login other than " + state.submitter().orElse("?"));
		}
		return lines;
	}

	private boolean alive(BatchRecord batch) {
		Optional<BatchLocks.Held> lock = locks.tryLock(batch.fileSha256());
		lock.ifPresent(BatchLocks.Held::close);
		return lock.isEmpty();
	}

	private Map<RowStatus, Integer> counts(long batchId) {
		Map<RowStatus, Integer> rows = new EnumMap<>(RowStatus.class);
		rows.putAll(ledger.totals(batchId).stream()
			.collect(Collectors.groupingBy(StatusTotal::status, Collectors.summingInt(StatusTotal::rows))));
		return rows;
	}

	private static Optional<Execution> latest(List<Execution> executions, String job) {
		return executions.stream().filter(e -> e.job().equals(job)).reduce((a, b) -> b);
	}

	private static boolean isRunning(String status) {
		return "STARTING".equals(status) || "STARTED".equals(status) || "STOPPING".equals(status);
	}

	private String age(Instant since) {
		Duration age = Duration.between(since, clock.instant());
		if (age.toDays() > 0) {
			return age.toDays() + "d " + age.toHoursPart() + "h";
		}
		if (age.toHours() > 0) {
			return age.toHours() + "h " + age.toMinutesPart() + "m";
		}
		return age.toMinutes() + "m " + age.toSecondsPart() + "s";
	}

	private static String nonNull(String value) {
		return value == null ? "" : value;
	}

}
