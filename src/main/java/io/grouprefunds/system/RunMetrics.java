package io.grouprefunds.system;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * The end of a run in numbers: how long each step took, the submission meters (rows by outcome, request latency,
 * throttle wait, retries, breaker), and the process's peak memory. Printed after the batch summary, logged, and
 * pushed to a Prometheus Pushgateway when {@code refunds.metrics.pushgateway.url} is set, with the batch's id and,
 * when the job completed, the time of this success (see {@link PushgatewayPush}).
 */
@Component
public class RunMetrics {

	private static final Logger log = LoggerFactory.getLogger(RunMetrics.class);

	private final PrometheusMeterRegistry registry;

	private final Clock clock;

	private final PushgatewayPush pushgateway;

	private final AtomicLong batch = new AtomicLong();

	private final AtomicLong lastSuccessMillis = new AtomicLong();

	RunMetrics(PrometheusMeterRegistry registry, Clock clock, MetricsProperties properties) {
		this.registry = registry;
		this.clock = clock;
		MetricsProperties.Pushgateway settings = properties.pushgateway();
		this.pushgateway = settings.configured() ? new PushgatewayPush(settings.url(), settings.job()) : null;
	}

	/** The summary lines of a finished (or failed) execution; pushes the meters when configured. */
	public String endOfRun(long batchId, JobExecution execution) {
		boolean succeeded = execution.getStatus() == BatchStatus.COMPLETED;
		registerRunGauges(batchId, succeeded);
		String text = summary(execution);
		log.info("run metrics of batch {}:\n{}", batchId, text);
		if (pushgateway != null) {
			pushgateway.push(registry.getPrometheusRegistry(), execution.getJobParameters().getString("provider"),
					succeeded);
		}
		return text;
	}

	/** The scrape text of every meter, as a Pushgateway is sent it. */
	String prometheusText() {
		return registry.scrape();
	}

	String summary(JobExecution execution) {
		StringBuilder text = new StringBuilder("Run metrics\n");
		StringBuilder steps = new StringBuilder();
		Duration submitting = Duration.ZERO;
		for (StepExecution step : execution.getStepExecutions()) {
			if (step.getStartTime() != null && step.getEndTime() != null) {
				Duration took = Duration.between(step.getStartTime(), step.getEndTime());
				if (step.getStepName().equals("submitStep")) {
					submitting = submitting.plus(took);
				}
				steps.append(steps.isEmpty() ? "" : ", ")
					.append(String.format("%s %.1f s", step.getStepName(), took.toMillis() / 1000.0));
				if (step.getWriteCount() > 0) {
					steps.append(String.format(" (%d rows, %.0f rows/s)", step.getWriteCount(),
							step.getWriteCount() * 1000.0 / Math.max(1, took.toMillis())));
				}
			}
		}
		if (!steps.isEmpty()) {
			text.append("  steps: ").append(steps).append('\n');
		}
		Map<String, String> lines = new LinkedHashMap<>();
		for (Counter counter : registry.find("refunds.submit.rows").counters()) {
			lines.merge("  rows by outcome (" + counter.getId().getTag("provider") + "):",
					" " + counter.getId().getTag("outcome") + " " + (long) counter.count(), String::concat);
		}
		for (Timer timer : registry.find("refunds.submit.requests").timers()) {
			lines.merge("  requests (" + timer.getId().getTag("provider") + "):",
					" " + timer.getId().getTag("answer") + " " + timing(timer) + ";", String::concat);
		}
		for (Timer timer : registry.find("refunds.throttle.wait").timers()) {
			lines.merge("  throttle wait (" + timer.getId().getTag("provider") + "):", " " + timing(timer),
					String::concat);
		}
		for (Counter counter : registry.find("refunds.submit.retries").counters()) {
			lines.merge("  retries (" + counter.getId().getTag("provider") + "):",
					" " + counter.getId().getTag("reason") + " " + (long) counter.count(), String::concat);
		}
		for (Counter counter : registry.find("refunds.breaker.opened").counters()) {
			lines.merge("  circuit breaker (" + counter.getId().getTag("provider") + "):",
					" opened " + (long) counter.count() + " time(s)", String::concat);
		}
		lines.forEach((label, values) -> text.append(label).append(values).append('\n'));
		Timer attempts = registry.find("refunds.attempts.write").timer();
		if (attempts != null && attempts.count() > 0) {
			// The audit trail's cost: writing attempt rows and answers, as a share of the submit step's time.
			double seconds = attempts.totalTime(TimeUnit.NANOSECONDS) / 1e9;
			text.append(String.format("  attempt log: %d writes, %.2f s%s%n", attempts.count(), seconds,
					submitting.isZero() ? "" : String.format(" = %.1f%% of submitStep",
							100 * seconds / (submitting.toMillis() / 1000.0))));
		}
		text.append("  memory: ").append(memory()).append('\n');
		return text.toString();
	}

	/** {@code 1000 × mean 1.2 ms, p50 1.0 ms, p99 4.8 ms, max 40 ms} */
	private static String timing(Timer timer) {
		HistogramSnapshot snapshot = timer.takeSnapshot();
		StringBuilder text = new StringBuilder(String.format("%d × mean %s", snapshot.count(),
				millis(snapshot.mean(TimeUnit.NANOSECONDS))));
		for (ValueAtPercentile percentile : snapshot.percentileValues()) {
			text.append(String.format(", p%.0f %s", percentile.percentile() * 100,
					millis(percentile.value(TimeUnit.NANOSECONDS))));
		}
		return text.append(", max ").append(millis(snapshot.max(TimeUnit.NANOSECONDS))).toString();
	}

	private static String millis(double nanos) {
		return String.format("%.1f ms", nanos / 1e6);
	}

	/** Peak resident memory of this process (Linux), and the heap's peak and live size after the last collection. */
	static String memory() {
		long heapPeak = 0;
		long oldAfterGc = -1;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				heapPeak += pool.getPeakUsage().getUsed();
				MemoryUsage afterGc = pool.getCollectionUsage();
				if (afterGc != null && pool.getName().contains("Old")) {
					oldAfterGc = afterGc.getUsed();
				}
			}
		}
		long heapMax = Runtime.getRuntime().maxMemory();
		long rss = peakRssBytes();
		return (rss > 0 ? String.format("peak RSS %d MB (VmHWM), ", rss >> 20) : "")
				+ String.format("heap peak %d MB of %d MB max", heapPeak >> 20, heapMax >> 20)
				+ (oldAfterGc >= 0 ? String.format(", old generation after last GC %d MB", oldAfterGc >> 20) : "");
	}

	/** VmHWM from /proc/self/status, in bytes; -1 where there is none. */
	static long peakRssBytes() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmHWM:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux: no figure
		}
		return -1;
	}

	/**
	 * The run's own gauges, registered once per process. The last success is registered only when the job completed,
	 * so that a run that did not leaves the one an earlier run pushed in place.
	 */
	private void registerRunGauges(long batchId, boolean succeeded) {
		if (registry.find("refunds.process.peak.rss").gauge() == null) {
			Gauge.builder("refunds.process.peak.rss", () -> {
				long rss = peakRssBytes();
				return rss > 0 ? rss : Double.NaN;
			}).description("peak resident memory of the process (VmHWM; NaN where unknown)")
				.baseUnit("bytes")
				.register(registry);
			Gauge.builder("refunds.run.batch.id", batch, AtomicLong::get)
				.description("the batch whose run pushed these metrics")
				.register(registry);
		}
		batch.set(batchId);
		if (succeeded) {
			lastSuccessMillis.set(clock.millis());
			if (registry.find("refunds.last.success.timestamp").gauge() == null) {
				Gauge.builder("refunds.last.success.timestamp", lastSuccessMillis, millis -> millis.get() / 1000.0)
					.description("when a run of this job for this provider last completed, in seconds since the epoch")
					.baseUnit("seconds")
					.register(registry);
			}
		}
	}

}
