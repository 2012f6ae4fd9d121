package io.grouprefunds.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.ledger.LedgerRow;
import io.grouprefunds.ledger.OpenRows.OpenRow;
import io.grouprefunds.reconcile.FollowUp;
import org.junit.jupiter.api.Test;

/** What a reconcile's exit code says: only what is true of the rows it followed. */
class ReconcileRunnerTest {

	private static final OpenRow OLD_PENDING = new OpenRow(new LedgerRow(1, 1, 2, "rapyd", "r-1", "gp", null, "USD",
			RowStatus.PENDING, 1, "gr-1"), Instant.EPOCH, Instant.EPOCH, null);

	private static FollowUp.Result result(int newNeedsPerson, int unsettled, List<OpenRow> old, List<String> unfinished,
			int failedQueries) {
		return new FollowUp.Result(List.of(1L), 10, 3, newNeedsPerson, unsettled, old, unfinished, List.of(),
				failedQueries);
	}

	@Test
	void nothingForAPersonIsZeroEvenWithRowsStillPendingWithinMaxAge() {
		assertThat(ReconcileRunner.exitCodeFor(result(0, 0, List.of(), List.of(), 0))).isEqualTo(ExitCode.COMPLETED);
	}

	@Test
	void newDeclinedOrDiscrepancyRowsAreThree() {
		assertThat(ReconcileRunner.exitCodeFor(result(2, 0, List.of(), List.of(), 0)))
			.isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS);
	}

	@Test
	void rowsStillUnknownOrPendingPastMaxAgeAreFour() {
		assertThat(ReconcileRunner.exitCodeFor(result(2, 1, List.of(), List.of(), 0)))
			.isEqualTo(ExitCode.COMPLETED_UNSETTLED);
		assertThat(ReconcileRunner.exitCodeFor(result(0, 0, List.of(OLD_PENDING), List.of(), 0)))
			.isEqualTo(ExitCode.COMPLETED_UNSETTLED);
	}

	@Test
	void aBatchWithReadyRowsOrFailedQueriesIsNotCompleted() {
		assertThat(ReconcileRunner.exitCodeFor(result(0, 4, List.of(), List.of("batch 1 has 3 READY row(s)"), 0)))
			.isEqualTo(ExitCode.FAILED_RESTARTABLE);
		assertThat(ReconcileRunner.exitCodeFor(result(0, 0, List.of(), List.of(), 1)))
			.isEqualTo(ExitCode.FAILED_RESTARTABLE);
	}

	@Test
	void aRunsExitCodeSaysReadyRowsAreNotCompletedAndPendingNeedsNobody() {
		assertThat(BatchRunner.exitCodeFor(java.util.Map.of(RowStatus.READY, 1, RowStatus.SUCCEEDED, 3)))
			.isEqualTo(ExitCode.FAILED_RESTARTABLE);
		assertThat(BatchRunner.exitCodeFor(java.util.Map.of(RowStatus.PENDING, 1, RowStatus.SUCCEEDED, 3)))
			.isEqualTo(ExitCode.COMPLETED);
		assertThat(BatchRunner.exitCodeFor(java.util.Map.of(RowStatus.DISCREPANCY, 1)))
			.isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS);
	}

}
