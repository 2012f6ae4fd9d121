package io.grouprefunds.system;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;

/**
 * Writes meters in Prometheus' text exposition format (version 0.0.4), which a Pushgateway accepts as is: counters as
 * {@code _total}, timers as summaries in seconds with their quantiles, gauges as they are. Written here rather than
 * taken from the Prometheus client, which this project's registry does not carry, for the handful of meters a run has.
 */
final class PrometheusText {

	private PrometheusText() {
	}

	static String of(MeterRegistry registry, String prefix) {
		Map<String, StringBuilder> families = new TreeMap<>();
		for (Meter meter : registry.getMeters()) {
			String name = meter.getId().getName();
			if (!name.startsWith(prefix)) {
				continue;
			}
			String base = sanitize(name);
			String labels = labels(meter);
			if (meter instanceof Counter counter) {
				family(families, base + "_total", "counter").append(line(base + "_total", labels, counter.count()));
			}
			else if (meter instanceof Timer timer) {
				String seconds = base + "_seconds";
				StringBuilder family = family(families, seconds, "summary");
				for (ValueAtPercentile percentile : timer.takeSnapshot().percentileValues()) {
					String quantile = "quantile=\"" + percentile.percentile() + "\"";
					family.append(line(seconds, labels.isEmpty() ? "{" + quantile + "}"
							: labels.substring(0, labels.length() - 1) + "," + quantile + "}",
							percentile.value(TimeUnit.SECONDS)));
				}
				family.append(line(seconds + "_count", labels, timer.count()));
				family.append(line(seconds + "_sum", labels, timer.totalTime(TimeUnit.SECONDS)));
				family(families, seconds + "_max", "gauge").append(line(seconds + "_max", labels,
						timer.max(TimeUnit.SECONDS)));
			}
			else if (meter instanceof Gauge gauge) {
				family(families, base, "gauge").append(line(base, labels, gauge.value()));
			}
		}
		StringBuilder text = new StringBuilder();
		families.values().forEach(text::append);
		return text.toString();
	}

	private static StringBuilder family(Map<String, StringBuilder> families, String name, String type) {
		return families.computeIfAbsent(name, n -> new StringBuilder("# TYPE " + n + " " + type + "\n"));
	}

	private static String line(String name, String labels, double value) {
		return name + labels + " " + (Double.isFinite(value) ? Double.toString(value) : "NaN") + "\n";
	}

	private static String labels(Meter meter) {
		if (meter.getId().getTags().isEmpty()) {
			return "";
		}
		StringBuilder labels = new StringBuilder("{");
		for (Tag tag : meter.getId().getTags()) {
			if (labels.length() > 1) {
				labels.append(',');
			}
			labels.append(sanitize(tag.getKey())).append("=\"")
				.append(tag.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
				.append('"');
		}
		return labels.append('}').toString();
	}

	static String sanitize(String name) {
		return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
	}

}
