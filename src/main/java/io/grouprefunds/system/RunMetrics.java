package io.grouprefunds.system;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * The end of a run in numbers: how long each step took, the submission meters (rows by outcome, request latency,
 * throttle wait, retries, breaker), and the process's peak memory. Printed after the batch summary, logged, and
 * pushed to a Prometheus Pushgateway when {@code refunds.metrics.pushgateway.url} is set (a failed push is logged,
 * never fails the run).
 */
@Component
public class RunMetrics {

	private static final Logger log = LoggerFactory.getLogger(RunMetrics.class);

	private final MeterRegistry registry;

	private final String pushgatewayUrl;

	private final String pushgatewayJob;

	public RunMetrics(MeterRegistry registry, MetricsProperties properties) {
		this.registry = registry;
		this.pushgatewayUrl = properties.pushgateway().url();
		this.pushgatewayJob = properties.pushgateway().job();
	}

	/** The summary lines of a finished (or failed) execution; pushes the meters when configured. */
	public String endOfRun(long batchId, JobExecution execution) {
		registerMemoryGauges();
		String text = summary(execution);
		log.info("run metrics of batch {}:\n{}", batchId, text);
		push(batchId);
		return text;
	}

	String summary(JobExecution execution) {
		StringBuilder text = new StringBuilder("Run metrics\n");
		StringBuilder steps = new StringBuilder();
		for (StepExecution step : execution.getStepExecutions()) {
			if (step.getStartTime() != null && step.getEndTime() != null) {
				Duration took = Duration.between(step.getStartTime(), step.getEndTime());
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

	private void registerMemoryGauges() {
		if (registry.find("refunds.process.peak.rss").gauge() == null) {
			registry.gauge("refunds.process.peak.rss", this, metrics -> peakRssBytes());
		}
	}

	private void push(long batchId) {
		if (pushgatewayUrl == null || pushgatewayUrl.isBlank()) {
			return;
		}
		String url = pushgatewayUrl.replaceAll("/+$", "") + "/metrics/job/" + pushgatewayJob + "/batch/" + batchId;
		try {
			HttpResponse<String> response = HttpClient.newBuilder()
				.connectTimeout(Duration.ofSeconds(5))
				.build()
				.send(HttpRequest.newBuilder(URI.create(url))
					.timeout(Duration.ofSeconds(10))
					.header("Content-Type", "text/plain; version=0.0.4")
					.PUT(HttpRequest.BodyPublishers.ofString(PrometheusText.of(registry, "refunds.")))
					.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() / 100 != 2) {
				log.warn("Pushgateway {} answered HTTP {}: {}", url, response.statusCode(), response.body());
			}
			else {
				log.info("metrics pushed to {}", url);
			}
		}
		catch (IOException | RuntimeException ex) {
			log.warn("could not push metrics to {}: {}", url, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
