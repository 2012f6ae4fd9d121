package io.grouprefunds.submit;

import java.time.Clock;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.grouprefunds.domain.ConfigurationException;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.StatusTotal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

/**
 * The night has an end ({@code --stop-at HH:MM}, {@code refunds.submit.stop-at}): the time is resolved when the
 * command starts ({@link StopTime}); while a refund job runs, a timer looks at the clock every second, and when the
 * time comes it asks for the same stop as SIGTERM ({@link StopRequest}): the requests in flight are recorded, rows
 * not sent go back as they were, the execution ends STOPPED and the command exits 5. At the end it says how many rows
 * are left for the next run.
 */
@Component
public class StopTimeListener implements JobExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(StopTimeListener.class);

	private final Optional<StopTime> stopTime;

	private final Clock clock;

	private final Ledger ledger;

	private ScheduledExecutorService timer;

	private volatile boolean reached;

	StopTimeListener(SubmitProperties properties, Clock clock, Ledger ledger) {
		this.clock = clock;
		this.ledger = ledger;
		try {
			this.stopTime = StopTime.resolve(properties.stopAt(), clock.instant(), ZoneId.systemDefault());
		}
		catch (IllegalArgumentException ex) { // a date that does not exist: the pattern let it through
			throw new ConfigurationException("refunds.submit.stop-at: " + ex.getMessage());
		}
	}

	/** The stop time of this command, if one was given. */
	public Optional<StopTime> stopTime() {
		return stopTime;
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		if (stopTime.isEmpty()) {
			return;
		}
		StopTime stop = stopTime.get();
		log.info("stop time {} ({}): sending stops then, restartably", stop, stop.deadline().toOffsetDateTime());
		timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "stop-time");
			thread.setDaemon(true);
			return thread;
		});
		// The clock is read every second rather than one long sleep: a suspended host or a clock set right still
		// stops at the time the clock shows.
		timer.scheduleWithFixedDelay(() -> {
			if (!reached && stop.reachedAt(clock.instant())) {
				reached = true;
				log.info("stop time {} reached: finishing the requests in flight, then stopping", stop);
				StopRequest.request("stop time " + stop + " reached");
				timer.shutdown();
			}
		}, 0, 1, TimeUnit.SECONDS);
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		if (timer != null) {
			timer.shutdownNow();
			timer = null;
		}
		Long batchId = jobExecution.getJobParameters().getLong("batchId");
		String statuses = jobExecution.getJobParameters().getString("statuses");
		if (!reached || batchId == null || statuses == null || jobExecution.getStatus() != BatchStatus.STOPPED) {
			return;
		}
		log.warn("stop time {} reached: {}; the next run resumes", stopTime.get(), left(batchId, statuses));
	}

	/** {@code 4,100 rows left READY}, or with the statuses named when they are several. */
	private String left(long batchId, String statuses) {
		var unsent = Arrays.stream(statuses.split(",")).map(s -> RowStatus.valueOf(s.strip())).toList();
		Map<RowStatus, Integer> rows = new TreeMap<>();
		for (StatusTotal total : ledger.totals(batchId)) {
			if (unsent.contains(total.status())) {
				rows.merge(total.status(), total.rows(), Integer::sum);
			}
		}
		int all = rows.values().stream().mapToInt(Integer::intValue).sum();
		if (rows.size() == 1 && rows.containsKey(RowStatus.READY)) {
			return String.format(Locale.ROOT, "%,d rows left READY", all);
		}
		if (rows.isEmpty()) {
			return "0 rows left READY";
		}
		StringJoiner each = new StringJoiner(", ", " (", ")");
		rows.forEach((status, count) -> each.add(status + " " + String.format(Locale.ROOT, "%,d", count)));
		return String.format(Locale.ROOT, "%,d rows left to send", all) + each;
	}

}
