package io.grouprefunds.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.domain.SubmitOutcome;
import io.grouprefunds.submit.SubmitMetrics;
import io.grouprefunds.support.RealPushgateway;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.test.MetaDataInstanceFactory;

/**
 * What the end of a run exposes, every meter family the job has included: in Prometheus' names with units, HELP on
 * each, a last-success time only when the job completed, and text {@code promtool check metrics} accepts (when it is
 * installed). A Pushgateway that is not there, or a setting that is not a URL, never fails the run.
 */
class RunMetricsTest {

	private static final Instant NOW = Instant.parse("2026-11-30T02:00:00Z");

	private final MetricsConfiguration configuration = new MetricsConfiguration();

	private final PrometheusMeterRegistry registry = configuration.meterRegistry();

	@Test
	void everyFamilyHasHelpAndAUnit() {
		// when a completed run ends that has every submission meter and Spring Batch's observations
		RunMetrics metrics = runMetrics("");
		recordEveryMeter();
		String summary = metrics.endOfRun(7, execution(BatchStatus.COMPLETED));
		String text = metrics.prometheusText();

		// then the summary reads them, and each family is named with its unit and has HELP text
		assertThat(summary).contains("rows by outcome (rapyd): SUCCEEDED 2 DECLINED 1")
			.contains("retries (rapyd): rate_limited 1")
			.contains("circuit breaker (rapyd): opened 1 time(s)");
		assertThat(families(text, "# TYPE ")).contains("refunds_submit_rows_total", "refunds_submit_requests_seconds",
				"refunds_throttle_wait_seconds", "refunds_submit_retries_total", "refunds_breaker_opened_total",
				"refunds_run_batch_id", "refunds_last_success_timestamp_seconds", "spring_batch_job_seconds",
				"refunds_process_peak_rss_bytes");
		assertThat(text).doesNotContain("spring_batch_item_read")
			.contains("refunds_last_success_timestamp_seconds " + (double) NOW.getEpochSecond())
			.contains("refunds_run_batch_id 7.0");
		assertThat(helped(text)).containsExactlyInAnyOrderElementsOf(families(text, "# TYPE "));
	}

	@Test
	void promtoolHasNothingToSay() {
		RunMetrics metrics = runMetrics("");
		recordEveryMeter();
		metrics.endOfRun(7, execution(BatchStatus.COMPLETED));

		RealPushgateway.Promtool promtool = RealPushgateway.promtool(metrics.prometheusText());

		assertThat(promtool.output()).isEmpty();
		assertThat(promtool.exitCode()).isZero();
	}

	@Test
	void aRunThatDidNotCompleteHasNoLastSuccess() {
		RunMetrics metrics = runMetrics("");

		metrics.endOfRun(8, execution(BatchStatus.FAILED));

		assertThat(metrics.prometheusText()).doesNotContain("last_success").contains("refunds_run_batch_id 8.0");
	}

	@Test
	void aPushgatewayThatIsNotThereOrASettingThatIsNotAUrlNeverFailsTheRun() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		for (String url : List.of("http://127.0.0.1:" + closedPort, "not a url", "pushgateway:9091")) {
			assertThat(runMetrics(url).endOfRun(1, execution(BatchStatus.COMPLETED))).as(url)
				.startsWith("Run metrics\n");
		}
	}

	@Test
	void aPathInTheUrlIsKeptAndAUserInItIsSentAsBasicAuthentication() throws IOException {
		// given a stand-in that records the request line and the credentials (the real Pushgateway is PushgatewayIT's)
		List<String> requests = new CopyOnWriteArrayList<>();
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
		server.createContext("/", exchange -> {
			requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
					+ exchange.getRequestHeaders().getFirst("Authorization"));
			exchange.getRequestBody().readAllBytes();
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		server.start();
		try {
			String url = "http://ops:p%40ss@127.0.0.1:" + server.getAddress().getPort() + "/gateway/";

			// when a completed run and then a failed one end
			RunMetrics metrics = runMetrics(url);
			metrics.endOfRun(1, execution(BatchStatus.COMPLETED));
			metrics.endOfRun(2, execution(BatchStatus.FAILED));

			// then the group is the job and the provider, replaced whole only by the completed run
			String basic = "Basic " + Base64.getEncoder().encodeToString("ops:p@ss".getBytes(StandardCharsets.UTF_8));
			assertThat(requests).containsExactly("PUT /gateway/metrics/job/group-refunds/provider/rapyd " + basic,
					"POST /gateway/metrics/job/group-refunds/provider/rapyd " + basic);
		}
		finally {
			server.stop(0);
		}
	}

	/** Every submission meter, and Spring Batch's observations of a job and of an item (which is left out). */
	private void recordEveryMeter() {
		ObservationRegistry observations = configuration.observationRegistry(registry);
		Observation.createNotStarted("spring.batch.job", observations)
			.lowCardinalityKeyValue("spring.batch.job.name", "refundJob")
			.observe(() -> Observation.createNotStarted("spring.batch.item.read", observations).observe(() -> {
			}));
		SubmitMetrics submit = new SubmitMetrics(registry);
		submit.row("rapyd", "SUCCEEDED");
		submit.row("rapyd", "SUCCEEDED");
		submit.row("rapyd", "DECLINED");
		submit.request("rapyd", SubmitOutcome.of(RowStatus.SUCCEEDED, 200, "refund_1", "Completed", null, null),
				40_000_000);
		submit.request("rapyd", SubmitOutcome.retryNow(429, null, "TOO_MANY", "slow down"), 1_000_000);
		submit.throttleWait("rapyd", java.time.Duration.ofMillis(3));
		submit.retry("rapyd", "rate_limited");
		submit.breakerOpened("rapyd");
	}

	private RunMetrics runMetrics(String url) {
		return new RunMetrics(registry, Clock.fixed(NOW, ZoneOffset.UTC),
				new MetricsProperties(new MetricsProperties.Pushgateway(url, "group-refunds")));
	}

	private static JobExecution execution(BatchStatus status) {
		JobExecution execution = MetaDataInstanceFactory.createJobExecution("refundJob", 1L, 1L,
				new JobParametersBuilder().addString("provider", "rapyd").toJobParameters());
		execution.setStatus(status);
		return execution;
	}

	/** The families with a HELP line that says something (Micrometer writes an empty one for a meter with none). */
	static List<String> helped(String text) {
		return text.lines()
			.filter(line -> line.startsWith("# HELP "))
			.map(line -> line.split(" ", 4))
			.filter(help -> help.length == 4 && !help[3].isBlank())
			.map(help -> help[2])
			.toList();
	}

	static List<String> families(String text, String prefix) {
		return text.lines().filter(line -> line.startsWith(prefix)).map(line -> line.split(" ")[2]).toList();
	}

}
