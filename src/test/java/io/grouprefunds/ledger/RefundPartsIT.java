package io.grouprefunds.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.grouprefunds.domain.RefundPart;
import io.grouprefunds.domain.IdempotencyKey;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.domain.Settlement;
import io.grouprefunds.domain.SubmitOutcome;
import io.grouprefunds.ledger.Ledger.RecordedOutcome;
import io.grouprefunds.provider.GroupState;
import io.grouprefunds.reconcile.Reconciler;
import io.grouprefunds.reconcile.Reconciliation;
import io.grouprefunds.support.TestDatabases;
import io.grouprefunds.throttle.Throttle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Which refund objects are a row's own, and what the row then is: the attribution rule in the ledger and the
 * reconciliation decisions built on it, against a real PostgreSQL (no provider: its answers are given here).
 */
class RefundPartsIT {

	private static final String GP = "gp_8932172b9ae44d0caa04d5d419b43739";

	private static final Currency USD = Currency.getInstance("USD");

	private static HikariDataSource dataSource;

	private static JdbcTemplate jdbc;

	private static Ledger ledger;

	private long batchId;

	@BeforeAll
	static void database() {
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(TestDatabases.newDatabase());
		dataSource.setMaximumPoolSize(4);
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
		jdbc = new JdbcTemplate(dataSource);
		ledger = new Ledger(jdbc, new DataSourceTransactionManager(dataSource));
	}

	@AfterAll
	static void close() {
		dataSource.close();
	}

	@BeforeEach
	void emptyLedger() {
		jdbc.execute("TRUNCATE refund_part, refund_row, refund_batch_total, refund_batch RESTART IDENTITY CASCADE");
		batchId = ledger.createBatch("rapyd", "f.csv", "/f.csv", "0".repeat(64));
	}

	@Test
	void anEarlierRefundOnTheSamePaymentIsNeverALaterRowsOwn() {
		// given row 1 was refunded (refund_a, Pending), then row 2 is sent on the same group
		List<Long> rows = rows("10.00", "5.00");
		ledger.claim(List.of(rows.get(0)));
		ledger.recordOutcomes(List.of(accepted(rows.get(0), part("refund_a", "10", "Pending", now()))));
		ledger.claim(List.of(rows.get(1)));

		// when row 2's answer lists every refund object of the payment, refund_a still Pending
		ledger.recordOutcomes(List.of(accepted(rows.get(1), part("refund_a", "10", "Pending", now()),
				part("refund_b", "5", "Completed", now()))));

		// then row 2 owns refund_b only and is done; row 1 is still pending
		assertThat(partIds(rows.get(1))).containsExactly("refund_b");
		assertThat(row(rows.get(1))).containsEntry("status", "SUCCEEDED");
		assertThat((BigDecimal) row(rows.get(1)).get("refunded_amount")).isEqualByComparingTo("5.00");
		assertThat(partIds(rows.get(0))).containsExactly("refund_a");
		assertThat(row(rows.get(0))).containsEntry("status", "PENDING");
	}

	@Test
	void rowsOfOneGroupRecordedTogetherEachGetTheirOwnParts() {
		// given two rows of one group answered in the same chunk; the second answer lists the first's part too
		List<Long> rows = rows("10.00", "5.00");
		ledger.claim(rows);

		// when
		ledger.recordOutcomes(List.of(accepted(rows.get(1), part("refund_a", "10", "Completed", now()),
				part("refund_b", "5", "Error", now())), accepted(rows.get(0), part("refund_a", "10", "Completed", now()))));

		// then
		assertThat(partIds(rows.get(0))).containsExactly("refund_a");
		assertThat(partIds(rows.get(1))).containsExactly("refund_b");
		assertThat(row(rows.get(0))).containsEntry("status", "SUCCEEDED");
		assertThat(row(rows.get(1))).containsEntry("status", "DECLINED").containsEntry("provider_refund_status", "Error");
		assertThat((BigDecimal) row(rows.get(1)).get("refunded_amount")).isEqualByComparingTo("0");
	}

	@Test
	void aRefundObjectOlderThanTheClaimLessTheClockSkewIsNotTheRows() {
		// given
		List<Long> rows = rows("10.00");
		ledger.claim(rows);

		// when the answer shows only a refund made an hour before the row was sent
		ledger.recordOutcomes(List.of(accepted(rows.get(0),
				part("refund_old", "10", "Completed", Instant.now().minusSeconds(3600)))));

		// then the row's own parts are not known yet: PENDING, for reconcile to find
		assertThat(partIds(rows.get(0))).isEmpty();
		assertThat(row(rows.get(0))).containsEntry("status", "PENDING");
	}

	@Test
	void aPendingRowTakesTheStatusItsPartsEndInAndKeepsNoStaleText() {
		// given a PENDING row with two parts, and stale error text and evidence from an earlier attempt
		List<Long> rows = rows("71.00");
		ledger.claim(rows);
		ledger.recordOutcomes(List.of(accepted(rows.get(0), part("refund_a", "42.6", "Pending", now()),
				part("refund_b", "28.4", "Pending", now()))));
		jdbc.update("UPDATE refund_row SET provider_error_code = 'NO_RESPONSE', provider_error_message = 'old', "
				+ "evidence = 'old evidence' WHERE row_id = ?", rows.get(0));

		// when the provider says both completed (and lists a refund of another row)
		Instant later = now().plusSeconds(3600);
		RowChange change = ledger.settleFromParts(rows.get(0), EnumSet.of(RowStatus.PENDING),
				List.of(part("refund_a", "42.6", "Completed", now(), later),
						part("refund_b", "28.4", "Completed", now(), later),
						part("refund_of_someone_else", "3", "Completed", now())), "USD", null, null)
			.orElseThrow();

		// then
		assertThat(change.before()).isEqualTo(RowStatus.PENDING);
		assertThat(change.after().status()).isEqualTo(RowStatus.SUCCEEDED);
		assertThat(change.parts()).extracting(RowChange.PartChange::partId, RowChange.PartChange::after,
				RowChange.PartChange::providerChangedAt)
			.containsExactly(tuple("refund_a", "Completed", later), tuple("refund_b", "Completed", later));
		Map<String, Object> row = row(rows.get(0));
		assertThat(row).containsEntry("status", "SUCCEEDED").containsEntry("provider_error_code", null)
			.containsEntry("provider_error_message", null).containsEntry("evidence", null);
		assertThat(row.get("finished_at")).isNotNull();
		assertThat(partIds(rows.get(0))).containsExactly("refund_a", "refund_b");
	}

	@Test
	void anUnknownRowWhoseRequestMadeRefundObjectsWasAppliedAndIsNeverRetryable() {
		// given a row whose answer was lost; the provider made its parts, in Error (no money moved)
		List<Long> rows = rows("71.00");
		ledger.claim(rows);
		ledger.recordOutcomes(List.of(new RecordedOutcome(rows.get(0),
				SubmitOutcome.unknown(null, null, "NO_RESPONSE", "may have been applied"))));
		GroupState group = new GroupState(true, USD, new BigDecimal("125"), BigDecimal.ZERO, "closed", true,
				new BigDecimal("125"), List.of(part("refund_a", "42.6", "Error", now()),
						part("refund_b", "28.4", "Error", now())));

		// when
		Reconciler.Decision decision = reconciliation().settle(ledger.current(rows).get(0), group);

		// then it is not sent again: its request reached the provider, which refused it
		assertThat(decision.status()).isEqualTo(RowStatus.DECLINED);
		assertThat(decision.evidence()).contains("refund_a Error");
		assertThat(row(rows.get(0))).containsEntry("status", "DECLINED").containsEntry("provider_error_code", null);
	}

	@Test
	void anUnknownRowWithNoRefundObjectAndUnchangedTotalsIsRetryable() {
		// given
		List<Long> rows = rows("71.00");
		ledger.claim(rows);
		GroupState group = new GroupState(true, USD, new BigDecimal("125"), BigDecimal.ZERO, "closed", true,
				new BigDecimal("125"), List.of());

		// when
		Reconciler.Decision decision = reconciliation().settle(ledger.current(rows).get(0), group);

		// then
		assertThat(decision.status()).isEqualTo(RowStatus.RETRYABLE);
		assertThat(row(rows.get(0))).containsEntry("status", "RETRYABLE");
	}

	@Test
	void unownedObjectsAreNotTakenWhileAnEarlierRowOfTheGroupIsPendingWithoutParts() {
		// given row 1 accepted with no refund objects listed (the unowned one may be its own), row 2 maybe sent
		List<Long> rows = rows("10.00", "5.00");
		ledger.claim(List.of(rows.get(0)));
		ledger.recordOutcomes(List.of(accepted(rows.get(0))));
		ledger.claim(List.of(rows.get(1)));
		GroupState group = new GroupState(true, USD, new BigDecimal("125"), new BigDecimal("10"), "closed", true,
				new BigDecimal("115"), List.of(part("refund_a", "10", "Pending", now())));

		// when
		Reconciler.Decision decision = reconciliation().settle(ledger.current(List.of(rows.get(1))).get(0), group);

		// then refund_a is not taken for row 2: the totals show row 2 was not applied
		assertThat(decision.status()).isEqualTo(RowStatus.RETRYABLE);
		assertThat(partIds(rows.get(1))).isEmpty();
	}

	@Test
	void theGroupHistoryCountsWhatARowsPartsStillHold() {
		// given row 1: 71 asked, one part Completed (42.6) one Rejected (28.4): a discrepancy
		List<Long> rows = rows("71.00", "5.00");
		ledger.claim(List.of(rows.get(0)));
		ledger.recordOutcomes(List.of(accepted(rows.get(0), part("refund_a", "42.6", "Completed", now()),
				part("refund_b", "28.4", "Rejected", now()))));

		// when
		Ledger.GroupHistory history = ledger.groupHistory("rapyd", GP, rows.get(1));

		// then
		assertThat(row(rows.get(0))).containsEntry("status", "DISCREPANCY");
		assertThat(history.settledAmount()).isEqualByComparingTo("42.6");
	}

	// ---- helpers

	private List<Long> rows(String... amounts) {
		List<LedgerEntry> entries = new ArrayList<>();
		for (int i = 0; i < amounts.length; i++) {
			entries.add(new LedgerEntry(i + 2, "r-" + i, GP, new BigDecimal(amounts[i]), amounts[i], "USD", null,
					RowStatus.READY, null, IdempotencyKey.of("rapyd", "r-" + i)));
		}
		new LedgerIngest(jdbc).insertEntries(batchId, "rapyd", entries);
		return jdbc.queryForList("SELECT row_id FROM refund_row WHERE batch_id = ? ORDER BY line_number", Long.class,
				batchId);
	}

	private static RecordedOutcome accepted(long rowId, RefundPart... parts) {
		return new RecordedOutcome(rowId, SubmitOutcome.accepted(200, "op-" + rowId, List.of(parts), "USD",
				Settlement.of(List.of(parts), null, "USD", "USD")));
	}

	private static RefundPart part(String id, String amount, String status, Instant created) {
		return part(id, amount, status, created, created);
	}

	private static RefundPart part(String id, String amount, String status, Instant created, Instant updated) {
		return new RefundPart(id, "payment_1", new BigDecimal(amount), "USD", status, RefundPart.rapydState(status),
				created, updated, null);
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.SECONDS);
	}

	private static Reconciliation reconciliation() {
		return new Reconciliation(ledger, Throttle.perSecond(0), new AttemptLog(jdbc,
				new DataSourceTransactionManager(jdbc.getDataSource()), new SimpleMeterRegistry()), null);
	}

	private static List<String> partIds(long rowId) {
		return jdbc.queryForList("SELECT provider_part_id FROM refund_part WHERE row_id = ? ORDER BY provider_part_id",
				String.class, rowId);
	}

	private static Map<String, Object> row(long rowId) {
		return jdbc.queryForMap("SELECT * FROM refund_row WHERE row_id = ?", rowId);
	}

}
