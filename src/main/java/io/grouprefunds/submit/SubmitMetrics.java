package io.grouprefunds.submit;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.grouprefunds.domain.SubmitOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The submission meters (Micrometer), by provider:
 * <ul>
 * <li>{@code refunds.submit.rows} (counter, tag {@code outcome}): rows this run settled, by the status they took, or
 * {@code NOT_SENT} (released unsent by a stop) and {@code ALREADY_DONE} (found final when re-read);</li>
 * <li>{@code refunds.submit.requests} (timer, tag {@code answer}: 2xx, 4xx, 429, 5xx, no_answer, connect_failed):
 * every refund request sent, and how long it took;</li>
 * <li>{@code refunds.throttle.wait} (timer): how long each request waited for its slot;</li>
 * <li>{@code refunds.submit.retries} (counter, tag {@code reason}: rate_limited, connect_failed, reconciled,
 * idempotent_resend);</li>
 * <li>{@code refunds.breaker.opened} (counter).</li>
 * </ul>
 * The end-of-run summary and the Pushgateway push read them from the registry, which names them as Prometheus does:
 * counters end {@code _total}, timers are summaries in {@code _seconds} (e.g. {@code refunds_submit_requests_seconds}).
 * Every meter has a description: it is the family's HELP text.
 */
@Component
public class SubmitMetrics {

	private final MeterRegistry registry;

	/** Meters by name and tags: registering looks them up, and that costs more than the count itself. */
	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	public SubmitMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/** A row settled by this run, with the outcome name of {@link #rowsByOutcome}. */
	public void row(String provider, String outcome) {
		counters.computeIfAbsent("rows/" + provider + "/" + outcome, key -> Counter.builder("refunds.submit.rows")
			.description("rows settled by this run, by outcome")
			.tag("provider", provider)
			.tag("outcome", outcome)
			.register(registry)).increment();
	}

	public void request(String provider, SubmitOutcome outcome, long nanos) {
		String answer = answer(outcome);
		timers.computeIfAbsent("requests/" + provider + "/" + answer, key -> Timer.builder("refunds.submit.requests")
			.description("refund requests sent, by answer, and their latency")
			.tag("provider", provider)
			.tag("answer", answer)
			.publishPercentiles(0.5, 0.99)
			.register(registry)).record(nanos, TimeUnit.NANOSECONDS);
	}

	public void throttleWait(String provider, Duration wait) {
		timers.computeIfAbsent("wait/" + provider, key -> Timer.builder("refunds.throttle.wait")
			.description("time each provider request waited for its throttle slot")
			.tag("provider", provider)
			.publishPercentiles(0.5, 0.99)
			.register(registry)).record(wait);
	}

	public void retry(String provider, String reason) {
		counters.computeIfAbsent("retries/" + provider + "/" + reason, key -> Counter.builder("refunds.submit.retries")
			.description("requests sent again, by reason")
			.tag("provider", provider)
			.tag("reason", reason)
			.register(registry)).increment();
	}

	public void breakerOpened(String provider) {
		counters.computeIfAbsent("breaker/" + provider, key -> Counter.builder("refunds.breaker.opened")
			.description("times the provider looked down and sending paused")
			.tag("provider", provider)
			.register(registry)).increment();
	}

	/** Rows settled so far in this process, by outcome: what the progress line counts from. */
	public Map<String, Long> rowsByOutcome() {
		Map<String, Long> rows = new TreeMap<>();
		registry.find("refunds.submit.rows")
			.counters()
			.forEach(counter -> rows.merge(counter.getId().getTag("outcome"), (long) counter.count(), Long::sum));
		return rows;
	}

	/** 429 answers so far in this process. */
	public long rateLimited() {
		return registry.find("refunds.submit.requests").tag("answer", "429").timers().stream()
			.mapToLong(Timer::count)
			.sum();
	}

	/** Retries so far in this process, all reasons. */
	public long retries() {
		return (long) registry.find("refunds.submit.retries").counters().stream().mapToDouble(Counter::count).sum();
	}

	static String answer(SubmitOutcome outcome) {
		Integer status = outcome.httpStatus();
		if (status == null) {
			return "CONNECT_FAILED".equals(outcome.errorCode()) ? "connect_failed" : "no_answer";
		}
		if (status == 429) {
			return "429";
		}
		return (status / 100) + "xx";
	}

}
