package io.grouprefunds.submit;

import java.io.Console;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.throttle.Throttles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * Progress of the submit step: a line in the log every {@code refunds.progress.interval} (rows sent, answered, settled
 * by status and not sent; rate overall and recent, ETA, 429s, retries), and, when a person watches a terminal, a
 * progress bar redrawn every second. At the start, how long sending takes at the account's rate and what the stop time
 * leaves ({@link SendEstimate}). Counts come from the pipeline's counters and the submission meters, so they cost
 * the step nothing.
 */
@Component
public class SubmitProgress implements StepExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(SubmitProgress.class);

	private static final int BAR_WIDTH = 30;

	/** The meters' outcome for rows put back unsent: counted apart, not as settled. */
	private static final String NOT_SENT = "NOT_SENT";

	private final Ledger ledger;

	private final SubmitMetrics metrics;

	private final SubmitCounts counts;

	private final Duration interval;

	private final Throttles throttles;

	private final StopTimeListener stopTime;

	private final Clock clock;

	private ScheduledExecutorService timer;

	private Run run;

	SubmitProgress(Ledger ledger, SubmitMetrics metrics, SubmitCounts counts, ProgressProperties properties,
			Throttles throttles, StopTimeListener stopTime, Clock clock) {
		this.ledger = ledger;
		this.metrics = metrics;
		this.counts = counts;
		this.interval = properties.interval();
		this.throttles = throttles;
		this.stopTime = stopTime;
		this.clock = clock;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		Long batchId = stepExecution.getJobParameters().getLong("batchId");
		String statuses = stepExecution.getJobParameters().getString("statuses");
		if (batchId == null || statuses == null) {
			return;
		}
		long total = ledger.countRowsIn(batchId,
				Arrays.stream(statuses.split(",")).map(s -> RowStatus.valueOf(s.strip())).toList());
		run = new Run(batchId, total, System.nanoTime());
		String provider = stepExecution.getJobParameters().getString("provider");
		if (total > 0 && provider != null) {
			log.info("batch {}: {}", batchId, SendEstimate.describe(total, throttles.limits(provider), clock.instant(),
					stopTime.stopTime().orElse(null)));
		}
		Console console = System.console();
		timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "submit-progress");
			thread.setDaemon(true);
			return thread;
		});
		long every = Math.max(interval.toMillis(), 100);
		timer.scheduleAtFixedRate(() -> log.info("{}", line(run.now(run.logWindow))), every, every,
				TimeUnit.MILLISECONDS);
		if (console != null) {
			PrintWriter terminal = console.writer();
			timer.scheduleAtFixedRate(() -> {
				terminal.print("\r" + bar(run.now(run.barWindow)));
				terminal.flush();
			}, 1, 1, TimeUnit.SECONDS);
		}
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		if (timer != null) {
			timer.shutdownNow();
			Console console = System.console();
			if (console != null) {
				console.writer().println("\r" + bar(run.now(run.barWindow)));
				console.writer().flush();
			}
			log.info("{}", line(run.now(run.logWindow)));
			timer = null;
		}
		return null;
	}

	/**
	 * One progress line, e.g. {@code submit batch 1: 10000 rows: 4300 sent, 4200 answered, 4100 settled (SUCCEEDED
	 * 4000, DECLINED 100), 0 not sent (42% through); 198.3 rows/s (last 5 s: 199.0), ETA 29 s; 429s 0, retries 3}.
	 * Sent: the row's request left; answered: its sending is over, its chunk not necessarily recorded yet; settled:
	 * its outcome is in the ledger; not sent: put back as it was (a stop, the provider gone).
	 */
	static String line(Snapshot now) {
		SubmitCounts.Snapshot rows = now.rows();
		StringBuilder text = new StringBuilder(String.format("submit batch %d: %d rows: %d sent, %d answered, "
				+ "%d settled", now.batchId(), now.total(), rows.sent(), rows.answered(), now.settled()));
		if (!now.settledByStatus().isEmpty()) {
			StringJoiner byStatus = new StringJoiner(", ", " (", ")");
			now.settledByStatus().forEach((status, count) -> byStatus.add(status + " " + count));
			text.append(byStatus);
		}
		text.append(String.format(", %d not sent (%d%% through); %.1f rows/s", rows.notSent(), now.percent(),
				now.overallRate()));
		if (now.recentRate() >= 0) {
			text.append(String.format(" (last %d s: %.1f)", Math.round(now.recentSeconds()), now.recentRate()));
		}
		text.append(", ETA ").append(eta(now));
		text.append("; 429s ").append(now.rateLimited()).append(", retries ").append(now.retries());
		return text.toString();
	}

	/** The terminal's bar, e.g. {@code [#########.....] 42% 4200/10000  198 rows/s  ETA 29 s}. */
	static String bar(Snapshot now) {
		int filled = (int) (BAR_WIDTH * now.percent() / 100);
		return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] "
				+ String.format("%3d%% %d/%d  %.0f rows/s  ETA %s   ", now.percent(), now.done(), now.total(),
						now.recentRate() >= 0 ? now.recentRate() : now.overallRate(), eta(now));
	}

	private static String eta(Snapshot now) {
		double rate = now.recentRate() > 0 ? now.recentRate() : now.overallRate();
		long left = now.total() - now.done();
		if (left <= 0) {
			return "0 s";
		}
		if (rate <= 0) {
			return "unknown";
		}
		long seconds = Math.round(left / rate);
		return seconds < 120 ? seconds + " s" : String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60,
				seconds % 60);
	}

	/** What the step had at its start, and the last sample, for the recent rate. */
	private final class Run {

		private final long batchId;

		private final long total;

		private final Map<String, Long> settledAtStart;

		private final SubmitCounts.Snapshot rowsAtStart;

		private final long rateLimitedAtStart;

		private final long retriesAtStart;

		private final long startNanos;

		/** The last sample of the log line and of the bar: {done, nanos}, for their recent rates. */
		final long[] logWindow;

		final long[] barWindow;

		Run(long batchId, long total, long startNanos) {
			this.batchId = batchId;
			this.total = total;
			this.settledAtStart = metrics.rowsByOutcome();
			this.rowsAtStart = counts.now();
			this.rateLimitedAtStart = metrics.rateLimited();
			this.retriesAtStart = metrics.retries();
			this.startNanos = startNanos;
			this.logWindow = new long[] { 0, startNanos };
			this.barWindow = new long[] { 0, startNanos };
		}

		synchronized Snapshot now(long[] window) {
			long nanos = System.nanoTime();
			Map<String, Long> settled = new TreeMap<>();
			metrics.rowsByOutcome().forEach((outcome, count) -> {
				long delta = count - settledAtStart.getOrDefault(outcome, 0L);
				if (delta > 0 && !NOT_SENT.equals(outcome)) {
					settled.put(outcome, delta);
				}
			});
			SubmitCounts.Snapshot rows = counts.now().since(rowsAtStart);
			long done = Math.min(rows.done(), total);
			double elapsed = (nanos - startNanos) / 1e9;
			double recentSeconds = (nanos - window[1]) / 1e9;
			double recentRate = recentSeconds >= 0.5 ? (done - window[0]) / recentSeconds : -1;
			if (recentSeconds >= 0.5) {
				window[0] = done;
				window[1] = nanos;
			}
			return new Snapshot(batchId, total, rows, settled, elapsed > 0 ? done / elapsed : 0, recentRate,
					recentSeconds, metrics.rateLimited() - rateLimitedAtStart, metrics.retries() - retriesAtStart);
		}

	}

	/**
	 * The progress at one moment: the step's rows in the pipeline, and those the ledger has settled, by status.
	 * {@code recentRate} is -1 when too little time passed to tell.
	 */
	record Snapshot(long batchId, long total, SubmitCounts.Snapshot rows, Map<String, Long> settledByStatus,
			double overallRate, double recentRate, double recentSeconds, long rateLimited, long retries) {

		long settled() {
			return settledByStatus.values().stream().mapToLong(Long::longValue).sum();
		}

		/** Rows the pipeline is done with, at most the total. */
		long done() {
			return Math.min(rows.done(), total);
		}

		int percent() {
			return total == 0 ? 100 : (int) (100 * done() / total);
		}

	}

}
