package io.grouprefunds.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.opencsv.CSVWriter;
import com.opencsv.ICSVWriter;
import io.grouprefunds.report.HistoryQueries.Entry;
import io.grouprefunds.report.HistoryQueries.RowFacts;

import org.springframework.stereotype.Component;

/**
 * {@code history KEY}: one row's whole story, oldest first, from the audit trail (V5): every attempt the job made for
 * it (refund requests and reconciliation queries: when recorded, sent, answered, the HTTP status, the classified
 * outcome, the provider's reference and error code, the process and job execution), every status change (with the
 * database login, OS user and host), and the operator decisions on its batch. As lines for a terminal, or as CSV
 * (cells a spreadsheet would run as formulas are neutralised as in the result file).
 */
@Component
public class RowHistory {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
		.withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

	private static final String[] CSV_COLUMNS = { "time_utc", "event", "kind", "attempt_no", "idempotency_key", "sent_at",
			"answered_at", "http_status", "outcome", "provider_reference", "provider_error_code", "process",
			"job_execution_id", "old_status", "new_status", "db_user", "os_user", "host", "command_line", "detail",
			"row_id", "batch_id", "file", "line", "request_id", "group_id", "amount", "currency", "row_status" };

	private final HistoryQueries queries;

	/** The columns of {@link #csv}, in order. */
	public static List<String> csvColumns() {
		return List.of(CSV_COLUMNS);
	}

	RowHistory(HistoryQueries queries) {
		this.queries = queries;
	}

	/** A row a key names: its id, where it is, and which of the key's meanings matched. */
	public record Match(long rowId, long batchId, String provider, int lineNumber, String requestId, String status,
			String matchedBy) {
	}

	/**
	 * The rows {@code key} names: by request_id, else idempotency key, else row id (the first that names any).
	 * @param provider null: any provider
	 * @param batchId null: any batch
	 */
	public List<Match> find(String key, String provider, Long batchId) {
		return queries.find(key, provider, batchId).stream()
			.map(r -> new Match(r.rowId(), r.batchId(), r.provider(), r.lineNumber(), r.requestId(), r.status(),
					r.matchedBy()))
			.toList();
	}

	/** The story of the row {@code match} names, as lines for a terminal. */
	public String text(Match match) {
		RowFacts row = facts(match);
		StringBuilder text = new StringBuilder();
		text.append("row ").append(row.rowId()).append(" (matched by ").append(row.matchedBy()).append(")  batch ")
			.append(row.batchId()).append("  provider ").append(row.provider()).append("  file ").append(row.fileName())
			.append("  line ").append(row.lineNumber()).append('\n');
		text.append("  request_id ").append(row.requestId()).append("  group ").append(row.groupId()).append("  amount ")
			.append(row.amount() == null ? "whole group" : BatchReport.refundedText(row.amount(), row.currency()))
			.append(' ')
			.append(row.currency()).append("  status ").append(row.status()).append("  attempts ")
			.append(row.attempts()).append("  idempotency key ").append(row.idempotencyKey()).append('\n');
		List<Entry> story = queries.story(row.rowId(), row.batchId());
		if (story.isEmpty()) {
			text.append("  nothing recorded yet: the row was never claimed\n");
		}
		for (Entry entry : story) {
			text.append("  ").append(TIME.format(entry.at())).append("  ").append(describe(entry)).append('\n');
		}
		return text.toString();
	}

	/** The same story as CSV, one line per entry, the row's facts repeated on each. */
	public String csv(Match match) {
		RowFacts row = facts(match);
		StringWriter out = new StringWriter();
		try (ICSVWriter csv = new CSVWriter(out)) {
			csv.writeNext(CSV_COLUMNS, false);
			for (Entry e : queries.story(row.rowId(), row.batchId())) {
				List<String> fields = new ArrayList<>(List.of(time(e.at()), e.event(), text(e.kind()),
						text(e.attemptNo()), text(e.idempotencyKey()), time(e.sentAt()), time(e.answeredAt()),
						text(e.httpStatus()), text(e.outcome()), text(e.providerReference()),
						text(e.providerErrorCode()), text(e.process()), text(e.jobExecutionId()), text(e.oldStatus()),
						text(e.newStatus()), text(e.dbUser()), text(e.osUser()), text(e.host()), text(e.commandLine()),
						text(e.detail()), text(row.rowId()), text(row.batchId()), text(row.fileName()),
						text(row.lineNumber()), text(row.requestId()), text(row.groupId()),
						row.amount() == null ? "" : BatchReport.refundedText(row.amount(), row.currency()),
						text(row.currency()),
						text(row.status())));
				csv.writeNext(fields.stream().map(BatchReport::spreadsheetSafe).toArray(String[]::new), false);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString();
	}

	private RowFacts facts(Match match) {
		return queries.row(match.rowId(), match.matchedBy());
	}

	private static String describe(Entry e) {
		StringBuilder line = new StringBuilder();
		switch (e.event()) {
			case "ATTEMPT" -> {
				line.append(e.kind()).append(" attempt ").append(e.attemptNo()).append(" recorded");
				if (!e.answered()) {
					line.append("; no answer recorded (the process stopped before recording it: maybe sent)");
				}
				else if (e.sentAt() == null) {
					line.append("; ").append(e.outcome()).append(" (never left)");
				}
				else {
					line.append("; sent ").append(CLOCK.format(e.sentAt()));
					line.append(e.answeredAt() == null ? "; no answer" : "; answered " + CLOCK.format(e.answeredAt()));
					if (e.httpStatus() != null) {
						line.append("; HTTP ").append(e.httpStatus());
					}
					line.append("; ").append(e.outcome());
					if (e.providerReference() != null) {
						line.append("; reference ").append(e.providerReference());
					}
					if (e.providerErrorCode() != null) {
						line.append("; error ").append(e.providerErrorCode());
					}
				}
				line.append("; process ").append(e.process());
				if (e.jobExecutionId() != null) {
					line.append("; execution ").append(e.jobExecutionId());
				}
			}
			case "STATUS" -> line.append("status ").append(Objects.toString(e.oldStatus(), "-")).append(" -> ")
				.append(e.newStatus()).append(who(e));
			default -> {
				line.append("decision ").append(e.kind()).append(" on the batch").append(who(e));
				if (e.detail() != null) {
					line.append(": ").append(e.detail());
				}
			}
		}
		return line.toString();
	}

	private static String who(Entry e) {
		StringBuilder who = new StringBuilder("; by ").append(e.dbUser());
		if (e.osUser() != null) {
			who.append(" (os user ").append(e.osUser()).append(e.host() == null ? "" : " on " + e.host()).append(')');
		}
		else if (e.host() != null) {
			who.append(" (host ").append(e.host()).append(')');
		}
		if (e.process() != null) {
			who.append(", process ").append(e.process());
		}
		return who.toString();
	}

	private static String time(Instant instant) {
		return instant == null ? "" : TIME.format(instant);
	}

	private static String text(Object value) {
		return value == null ? "" : value.toString();
	}

}
