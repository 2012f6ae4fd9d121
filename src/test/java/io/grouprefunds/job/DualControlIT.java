package io.grouprefunds.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.grouprefunds.sandbox.faults.SandboxFaults;
import io.grouprefunds.support.JobHarness;
import io.grouprefunds.support.Refunds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.dao.DataAccessException;

/**
 * Dual control and the operator-decision events, through the real command line against PostgreSQL (one database
 * login, as on the embedded trial database) and the Rapyd sandbox over HTTP. With two logins on the real server:
 * {@code TwoLoginsApprovalIT}.
 */
class DualControlIT {

	@TempDir
	Path work;

	@Test
	void aBatchAboveTheThresholdWaitsSendsNothingAndIsSentOnceAfterApproval() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given 6 refunds of 10.00 USD (60.00) and a threshold of 50 USD
			Path file = Refunds.file(harness, "big", 6);
			harness.set("refunds.approval.above.usd", "50");
			String login = harness.ledger.queryForObject("SELECT session_user::text", String.class);

			// when a dry run checks it, then a run sends it
			JobHarness.Result dry = harness.cli("run", file.toString(), "--provider", "rapyd", "--dry-run");
			JobHarness.Result first = harness.run(file);

			// then the dry run says it would wait, and the run is validated and recorded, and waits: nothing sent
			assertThat(dry.out()).contains("needs approval (a run exits 9 until another database login runs "
					+ "`approve BATCH`): USD: the valid rows add up to 60.00 USD, above refunds.approval.above.USD=50.00");
			assertThat(first.exitCode()).as(first.all()).isEqualTo(ExitCode.WAITING_FOR_APPROVAL.code());
			assertThat(first.all()).contains("batch 1 is waiting for approval", "nothing was sent",
					"USD: the valid rows add up to 60.00 USD, above refunds.approval.above.USD=50.00",
					"`approve 1 --note TEXT`", "another login than " + login, "exit 9 (WAITING_FOR_APPROVAL)");
			assertThat(harness.simulated().requestCount()).isZero();
			assertThat(Refunds.statusCounts(harness)).isEqualTo(Map.of("READY", 6));

			// when the file is run again, and the batch restarted, unapproved
			JobHarness.Result again = harness.run(file);
			JobHarness.Result restarted = harness.cli("restart", "1");
			JobHarness.Result reconciled = harness.cli("reconcile", "1");

			// then still waiting, one batch, ingested once, and the need recorded once
			assertThat(again.exitCode()).as(again.all()).isEqualTo(ExitCode.WAITING_FOR_APPROVAL.code());
			assertThat(restarted.exitCode()).as(restarted.all()).isEqualTo(ExitCode.WAITING_FOR_APPROVAL.code());
			assertThat(reconciled.exitCode()).as(reconciled.all()).isEqualTo(ExitCode.WAITING_FOR_APPROVAL.code());
			assertThat(reconciled.all()).contains("batch 1 is waiting for approval");
			assertThat(harness.simulated().requestCount()).isZero();
			assertThat(count(harness, "SELECT COUNT(*) FROM refund_batch")).isEqualTo(1);
			assertThat(count(harness, "SELECT COUNT(*) FROM refund_row")).isEqualTo(6);
			assertThat(count(harness, "SELECT COUNT(*) FROM batch_step_execution WHERE step_name = 'ingestStep'"))
				.isEqualTo(1);
			assertThat(kinds(harness)).containsExactly("RUN", "APPROVAL_REQUIRED", "RESUME", "RESTART", "RECONCILE");
			assertThat(harness.cli("status", "1").out()).contains("execution: WAITING FOR APPROVAL",
					"submitted by " + login + " (os user " + System.getProperty("user.name") + "@",
					"waiting for approval by a database login other than " + login);

			// when the submitter approves their own batch
			JobHarness.Result self = harness.cli("approve", "1", "--note", "mine");

			// then refused, with the reason, and the attempt recorded
			assertThat(self.exitCode()).as(self.all()).isEqualTo(ExitCode.REFUSED.code());
			assertThat(self.err()).contains("you are connected to the database as " + login
					+ ", who submitted batch 1; an approval must come from another database login");
			assertThat(kinds(harness)).endsWith("APPROVAL_REFUSED").doesNotContain("APPROVE");

			// when self-approval is allowed (trial only)
			JobHarness.Result allowed = harness.cli("approve", "1", "--note", "trial: it's \\ fine",
					"--refunds.approval.allow-self-approval=true");

			// then approved, and recorded with the note; a second approval is refused
			assertThat(allowed.exitCode()).as(allowed.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(allowed.out()).contains("batch 1 approved by " + login, "Nothing was sent");
			assertThat(harness.simulated().requestCount()).isZero();
			Map<String, Object> approval = harness.ledger.queryForMap("SELECT db_user, detail, command_line "
					+ "FROM refund_event WHERE kind = 'APPROVE'");
			assertThat(approval.get("db_user")).isEqualTo(login);
			assertThat((String) approval.get("detail")).contains("self-approval", "note: trial: it's \\ fine");
			assertThat((String) approval.get("command_line")).startsWith("approve 1 --note 'trial: it'\\''s \\ fine' ");
			JobHarness.Result twice = harness.cli("approve", "1", "--refunds.approval.allow-self-approval=true");
			assertThat(twice.exitCode()).as(twice.all()).isEqualTo(ExitCode.REFUSED.code());
			assertThat(twice.err()).contains("batch 1 is already approved, by " + login);

			// when the file is run again
			JobHarness.Result sent = harness.run(file);

			// then it is sent, once, from the same batch
			assertThat(sent.exitCode()).as(sent.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(Refunds.statusCounts(harness)).isEqualTo(Map.of("SUCCEEDED", 6));
			assertThat(harness.simulated().appliedRefunds()).hasSize(6);
			assertThat(Refunds.disagreements(harness)).isEmpty();
			assertThat(count(harness, "SELECT COUNT(*) FROM refund_batch")).isEqualTo(1);
			assertThat(count(harness, "SELECT COUNT(*) FROM refund_event WHERE kind = 'APPROVAL_REQUIRED'"))
				.isEqualTo(1);
			assertThat(harness.cli("status", "1").out()).contains("approved by " + login, "trial: it's \\ fine")
				.doesNotContain("WAITING");
			assertThat(harness.cli("status").out()).contains("submitted by " + login + ", approved by " + login);

			// and a batch within the threshold needs no approval: sent at once, and approve refuses it
			JobHarness.Result small = harness.run(harness.csv("small.csv", "request_id,group_id,amount,currency,reason",
					String.format("small-1,gp_%032x,10.00,USD,within", 1), String.format("small-2,gp_%032x,10.00,USD,"
							+ "within", 2)));
			assertThat(small.exitCode()).as(small.all()).isEqualTo(ExitCode.COMPLETED.code());
			JobHarness.Result needless = harness.cli("approve", "2", "--refunds.approval.allow-self-approval=true");
			assertThat(needless.exitCode()).as(needless.all()).isEqualTo(ExitCode.REFUSED.code());
			assertThat(needless.err()).contains("batch 2 needs no approval");
		}
	}

	@Test
	void everyDecisionIsRecordedWithItsActorAndTheCommandLineWithoutSecrets() throws Exception {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given the provider's secret and a database password on every command line
			String secret = harness.settings().stream().filter(s -> s.startsWith("--refunds.rapyd.secret-key="))
				.findFirst().orElseThrow().substring("--refunds.rapyd.secret-key=".length());
			harness.set("spring.datasource.password", "pw-never-recorded");
			harness.set("refunds.approval.above.usd", "50").set("refunds.approval.allow-self-approval", "true");
			Path file = Refunds.file(harness, "ev", 20);
			String login = harness.ledger.queryForObject("SELECT session_user::text", String.class);

			// when: run (waits), restart (still waits), approve, run again (some rows answered 429: RETRYABLE),
			// rerun-failed, reconcile of the batch and of every batch, and a reprocess of the same file
			assertThat(harness.run(file).exitCode()).isEqualTo(ExitCode.WAITING_FOR_APPROVAL.code());
			assertThat(harness.cli("restart", "1").exitCode()).isEqualTo(ExitCode.WAITING_FOR_APPROVAL.code());
			assertThat(harness.cli("approve", "1", "--note", "checked").exitCode()).isZero();
			harness.set("refunds.submit.max-retries", "0").set("refunds.submit.max-rate-limited-wait", "0s");
			harness.sandbox.rapyd().setFaults(SandboxFaults.builder().tooManyRequests(0.3).seed(11).build());
			JobHarness.Result sent = harness.run(file);
			assertThat(sent.exitCode()).as(sent.all()).isEqualTo(ExitCode.COMPLETED_UNSETTLED.code());
			harness.sandbox.rapyd().setFaults(SandboxFaults.none());
			JobHarness.Result rerun = harness.cli("rerun-failed", "1");
			assertThat(rerun.exitCode()).as(rerun.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(harness.cli("reconcile", "1").exitCode()).isZero();
			assertThat(harness.cli("reconcile").exitCode()).isZero();
			JobHarness.Result reprocess = harness.cli("run", file.toString(), "--provider", "rapyd",
					"--allow-reprocess");
			assertThat(reprocess.exitCode()).as(reprocess.all()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());

			// then each decision is an event, in order, with its batch
			List<Map<String, Object>> decisions = harness.ledger.queryForList("SELECT kind, batch_id, detail, db_user, "
					+ "os_user, host, process, command_line FROM refund_event WHERE row_id IS NULL ORDER BY event_id");
			assertThat(decisions).extracting(d -> d.get("kind") + " " + d.get("batch_id")).containsExactly("RUN 1",
					"APPROVAL_REQUIRED 1", "RESTART 1", "APPROVE 1", "RESUME 1", "RERUN_FAILED 1", "RECONCILE 1",
					"RECONCILE null", "RUN 2", "REPROCESS 2");
			assertThat((String) decisions.get(0).get("detail")).contains("ev.csv", "sha256 ");
			assertThat((String) decisions.get(9).get("detail")).contains("batch 1");
			// with the actor: the database login, the OS user and host, this process, and the command line
			String host = InetAddress.getLocalHost().getHostName();
			assertThat(decisions).allSatisfy(d -> {
				assertThat(d.get("db_user")).isEqualTo(login);
				assertThat(d.get("os_user")).isEqualTo(System.getProperty("user.name"));
				assertThat(d.get("host")).isEqualTo(host);
				assertThat(d.get("process")).isEqualTo(host + ":" + ProcessHandle.current().pid());
				assertThat((String) d.get("command_line")).contains("--refunds.rapyd.secret-key=***",
						"--spring.datasource.password=***");
			});
			assertThat(decisions).extracting(d -> ((String) d.get("command_line")).split(" ")[0])
				.containsExactly("run", "run", "restart", "approve", "run", "rerun-failed", "reconcile", "reconcile",
						"run", "run");
			// and the rows' status changes, written by the database, carry the same actor
			List<Map<String, Object>> changes = harness.ledger.queryForList("SELECT DISTINCT split_part(command_line, "
					+ "' ', 1) AS command, os_user, host, db_user FROM refund_event WHERE kind = 'STATUS_CHANGE'");
			assertThat(changes).extracting(c -> c.get("command")).contains("run", "rerun-failed");
			assertThat(changes).allSatisfy(c -> {
				assertThat(c.get("os_user")).isEqualTo(System.getProperty("user.name"));
				assertThat(c.get("host")).isEqualTo(host);
				assertThat(c.get("db_user")).isEqualTo(login);
			});
			// and no secret anywhere in the trail
			assertThat(count(harness, "SELECT COUNT(*) FROM refund_event WHERE command_line LIKE '%" + secret
					+ "%' OR command_line LIKE '%pw-never-recorded%' OR detail LIKE '%" + secret + "%'")).isZero();
			assertThat(count(harness, "SELECT COUNT(*) FROM refund_event WHERE command_line IS NULL")).isZero();
		}
	}

	@Test
	void theEventsCannotBeChangedOrDeleted() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given a run's events
			assertThat(harness.run(Refunds.file(harness, "a", 2)).exitCode()).isZero();
			int events = count(harness, "SELECT COUNT(*) FROM refund_event");
			assertThat(events).isGreaterThan(1);

			// when / then: neither an update nor a delete passes, even for the database's superuser
			assertThatThrownBy(() -> harness.ledger.update("UPDATE refund_event SET db_user = 'someone-else'"))
				.isInstanceOf(DataAccessException.class)
				.rootCause().hasMessageContaining("refund_event is append-only: UPDATE refused");
			assertThatThrownBy(() -> harness.ledger.update("DELETE FROM refund_event WHERE kind = 'RUN'"))
				.isInstanceOf(DataAccessException.class)
				.rootCause().hasMessageContaining("refund_event is append-only: DELETE refused");
			assertThat(count(harness, "SELECT COUNT(*) FROM refund_event")).isEqualTo(events);
			assertThat(count(harness, "SELECT COUNT(*) FROM refund_event WHERE db_user = 'someone-else'")).isZero();
		}
	}

	private static int count(JobHarness harness, String sql) {
		return harness.ledger.queryForObject(sql, Integer.class);
	}

	private static List<String> kinds(JobHarness harness) {
		return harness.ledger.queryForList("SELECT kind FROM refund_event WHERE row_id IS NULL ORDER BY event_id",
				String.class);
	}

}
