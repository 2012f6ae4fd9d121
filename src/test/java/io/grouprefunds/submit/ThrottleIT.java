package io.grouprefunds.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.grouprefunds.job.ExitCode;
import io.grouprefunds.sandbox.faults.SandboxFaults;
import io.grouprefunds.sandbox.SandboxStats;
import io.grouprefunds.support.JobHarness;
import io.grouprefunds.support.Refunds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The throttle seen from the provider's side: the sandbox records when every request arrived, and no window of any
 * length the settings name ever holds more than they allow, while every row still ends SUCCEEDED. Asserts counts per
 * window, never durations.
 */
class ThrottleIT {

	@TempDir
	Path work;

	@Test
	void theProviderNeverSeesMoreThanTheRateOrTheQuotaInAnyWindow() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given 80 rows, a throttle of 20/s and a quota of 25 per 2 s, 16 in flight, a provider answering in 5 to
			// 25 ms, and small chunks so that many chunk boundaries are crossed; the headroom is wide (25%) because
			// the sandbox stamps arrivals in this busy test JVM, where a stall of a few hundred ms bunches them
			Path file = Refunds.file(harness, "throttled", 80);
			harness.set("refunds.throttle.rate-per-second", "20")
				.set("refunds.throttle.headroom", "0.25")
				.set("refunds.throttle.quotas", "25/2s")
				.set("refunds.submit.chunk-size", "7")
				.set("refunds.progress.interval", "500ms");
			harness.sandbox.rapyd().setFaults(SandboxFaults.builder().latency(5, 20).build());

			// when
			JobHarness.Result result = harness.run(file);

			// then every row succeeded, once
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(Refunds.statusCounts(harness)).isEqualTo(Map.of("SUCCEEDED", 80));
			assertThat(Refunds.disagreements(harness)).isEmpty();
			// and no second held more than 20 arrivals, no two seconds more than 25
			SandboxStats perSecond = harness.sandbox.rapyd().stats(Duration.ofSeconds(1));
			SandboxStats perTwoSeconds = harness.sandbox.rapyd().stats(Duration.ofSeconds(2));
			assertThat(perSecond.requests()).isEqualTo(80);
			assertThat(perSecond.maxArrivalsInWindow()).isLessThanOrEqualTo(20);
			assertThat(perTwoSeconds.maxArrivalsInWindow()).isLessThanOrEqualTo(25);
			assertThat(perSecond.tooManyRequests()).isZero();
			// and the run said how it went: progress lines, and the meters in the summary
			assertThat(harness.readLog()).contains("submit batch 1: ").contains("rows/s").contains("ETA");
			assertThat(result.out()).contains("Run metrics")
				.contains("rows by outcome (rapyd): SUCCEEDED 80")
				.contains("throttle wait (rapyd): 80 ×");
		}
	}

	@Test
	void rapydsDefaultThrottleIsOnUnlessSwitchedOff() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given the defaults, not the tests' unthrottled settings: 3.3/s less 2%
			Path file = Refunds.file(harness, "defaults", 8);
			harness.set("refunds.throttle.rate-per-second", "3.3").set("refunds.throttle.quotas", "200/1m,1000/5m");

			// when
			JobHarness.Result result = harness.run(file);

			// then no second held more than 3 requests: 8 requests took at least two seconds, by count
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(harness.sandbox.rapyd().stats(Duration.ofSeconds(1)).maxArrivalsInWindow()).isLessThanOrEqualTo(4);
			assertThat(harness.readLog()).contains("throttle for rapyd: 3.300/s (paced at 3.234/s), at most 200/1m, "
					+ "at most 1000/5m, 16 in flight");
		}
	}

	@Test
	void theMetersArePushedToAPushgatewayWhenOneIsConfigured() throws IOException {
		// given a Pushgateway stand-in that keeps what it is sent
		List<String> pushed = new CopyOnWriteArrayList<>();
		HttpServer pushgateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
		pushgateway.createContext("/", exchange -> {
			pushed.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + "\n"
					+ new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		pushgateway.start();
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			Path file = Refunds.file(harness, "pushed", 5);
			harness.set("refunds.metrics.pushgateway.url",
					"http://127.0.0.1:" + pushgateway.getAddress().getPort() + "/");

			// when
			JobHarness.Result result = harness.run(file);

			// then
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(pushed).hasSize(1);
			assertThat(pushed.get(0)).startsWith("PUT /metrics/job/group-refunds/batch/1\n")
				.contains("# TYPE refunds_submit_rows_total counter")
				.contains("refunds_submit_rows_total{outcome=\"SUCCEEDED\",provider=\"rapyd\"} 5.0")
				.contains("refunds_submit_requests_seconds_count{answer=\"2xx\",provider=\"rapyd\"} 5.0")
				.contains("refunds_throttle_wait_seconds{provider=\"rapyd\",quantile=\"0.99\"}");
		}
		finally {
			pushgateway.stop(0);
		}
	}

}
