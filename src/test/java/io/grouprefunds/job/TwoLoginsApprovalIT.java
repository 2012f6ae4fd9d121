package io.grouprefunds.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.grouprefunds.support.ChildJob;
import io.grouprefunds.support.JobHarness;
import io.grouprefunds.support.Refunds;
import io.grouprefunds.support.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dual control with two people: two login roles on the real PostgreSQL server (the maker submits, the checker
 * approves), each with only the privileges the job needs, the schema owned by the administrator who migrated it. The
 * real command line runs as one login or the other; the identity dual control compares is the database login.
 */
@EnabledIfEnvironmentVariable(named = TestDatabases.SERVER_URL_VARIABLE, matches = ".+",
		disabledReason = "needs two database logins: only a PostgreSQL server has them (CI sets "
				+ TestDatabases.SERVER_URL_VARIABLE + "); the embedded trial database has one login")
class TwoLoginsApprovalIT {

	private static final String SECRET_SETTING = "--refunds.rapyd.secret-key=";

	@TempDir
	Path work;

	@Test
	void theMakersBatchWaitsTheMakerCannotApproveItTheCheckerCanAndThenItIsSentOnce() throws Exception {
		String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		String maker = "refunds_maker_" + suffix;
		String checker = "refunds_checker_" + suffix;
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given the schema, migrated by the administrator, and two logins with the privileges the job needs
			Flyway.configure().dataSource(harness.databaseUrl, null, null).locations("classpath:db/migration").load()
				.migrate();
			try {
				for (String role : List.of(maker, checker)) {
					harness.ledger.execute("CREATE ROLE " + role + " LOGIN");
					harness.ledger.execute("GRANT USAGE ON SCHEMA public TO " + role);
					harness.ledger.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role);
					harness.ledger.execute("REVOKE UPDATE, DELETE ON refund_event, refund_attempt, "
							+ "refund_attempt_answer FROM " + role);
					harness.ledger.execute("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO " + role);
				}
				Path file = Refunds.file(harness, "dual", 6); // 60.00 USD
				List<String> asMaker = settingsAs(harness, maker);

				// when the maker runs it, in a process of its own, the threshold set in the environment form
				Path output = work.resolve("maker-run.out");
				List<String> args = new ArrayList<>(List.of("run", file.toString(), "--provider", "rapyd"));
				args.addAll(asMaker);
				Process run = ChildJob.start(output, args, Map.of("REFUNDS_APPROVAL_ABOVE_USD", "50"));
				assertThat(run.waitFor(5, TimeUnit.MINUTES)).as("the maker's run ended").isTrue();

				// then it waits for approval, and nothing reached the provider
				String printed = Files.readString(output);
				assertThat(run.exitValue()).as(printed).isEqualTo(ExitCode.WAITING_FOR_APPROVAL.code());
				assertThat(printed).contains("batch 1 is waiting for approval", "above refunds.approval.above.USD=50.00",
						"another login than " + maker, "`approve 1 --note TEXT`");
				assertThat(harness.simulated().requestCount()).isZero();
				assertThat(event(harness, "RUN")).isEqualTo(maker);

				// when the maker approves it
				harness.set("spring.datasource.url", urlAs(harness, maker));
				JobHarness.Result self = harness.cli("approve", "1", "--note", "my own");

				// then refused, with the reason, and recorded
				assertThat(self.exitCode()).as(self.all()).isEqualTo(ExitCode.REFUSED.code());
				assertThat(self.err()).contains("you are connected to the database as " + maker
						+ ", who submitted batch 1; an approval must come from another database login");
				assertThat(event(harness, "APPROVAL_REFUSED")).isEqualTo(maker);
				assertThat(count(harness, "APPROVE")).isZero();

				// when the checker approves it
				harness.set("spring.datasource.url", urlAs(harness, checker));
				JobHarness.Result approved = harness.cli("approve", "1", "--note", "checked against the claims list");

				// then approved by the checker, and still nothing sent
				assertThat(approved.exitCode()).as(approved.all()).isEqualTo(ExitCode.COMPLETED.code());
				assertThat(event(harness, "APPROVE")).isEqualTo(checker);
				assertThat(harness.simulated().requestCount()).isZero();

				// when the maker runs the same file again
				harness.set("spring.datasource.url", urlAs(harness, maker));
				harness.set("refunds.approval.above.usd", "50");
				JobHarness.Result sent = harness.run(file);

				// then it is sent from the same batch, each refund applied once
				assertThat(sent.exitCode()).as(sent.all()).isEqualTo(ExitCode.COMPLETED.code());
				assertThat(Refunds.statusCounts(harness)).isEqualTo(Map.of("SUCCEEDED", 6));
				assertThat(harness.simulated().appliedRefunds()).hasSize(6);
				assertThat(Refunds.disagreements(harness)).isEmpty();
				assertThat(harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_batch", Integer.class))
					.isEqualTo(1);
				// the rows' status changes were made by the maker's sessions
				assertThat(harness.ledger.queryForList("SELECT DISTINCT db_user FROM refund_event WHERE kind = "
						+ "'STATUS_CHANGE'", String.class)).containsExactly(maker);
				// and status says who submitted it and who approved it
				JobHarness.Result status = harness.cli("status", "1");
				assertThat(status.out()).contains("submitted by " + maker, "approved by " + checker,
						"(checked against the claims list)");
				// and no secret is in the maker's recorded command line
				String secret = harness.settings().stream().filter(s -> s.startsWith(SECRET_SETTING)).findFirst()
					.orElseThrow().substring(SECRET_SETTING.length());
				assertThat(harness.ledger.queryForList("SELECT command_line FROM refund_event", String.class))
					.allSatisfy(line -> assertThat(line).doesNotContain(secret));
			}
			finally {
				// the roles are the server's, not the test database's: dropped, their privileges first
				for (String role : List.of(maker, checker)) {
					harness.ledger.execute("DROP OWNED BY " + role);
					harness.ledger.execute("DROP ROLE IF EXISTS " + role);
				}
			}
		}
	}

	private static List<String> settingsAs(JobHarness harness, String login) {
		List<String> settings = new ArrayList<>();
		for (String setting : harness.settings()) {
			settings.add(setting.startsWith("--spring.datasource.url=") ? "--spring.datasource.url="
					+ urlAs(harness, login) : setting);
		}
		return settings;
	}

	private static String urlAs(JobHarness harness, String login) {
		return harness.databaseUrl.replaceFirst("([?&])user=[^&]*", "$1user=" + login);
	}

	private static String event(JobHarness harness, String kind) {
		return harness.ledger.queryForObject("SELECT db_user FROM refund_event WHERE kind = ? AND batch_id = 1",
				String.class, kind);
	}

	private static int count(JobHarness harness, String kind) {
		return harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_event WHERE kind = ?", Integer.class, kind);
	}

}
