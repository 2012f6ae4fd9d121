package io.grouprefunds.job;

import java.io.PrintWriter;

import io.grouprefunds.ledger.DecisionEvent;
import io.grouprefunds.ledger.DecisionEvents;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.reconcile.FollowUp;
import io.grouprefunds.report.BatchReport;
import io.grouprefunds.report.BatchStatus;

import org.springframework.stereotype.Component;

/**
 * {@code reconcile [BATCH]}: runs the follow-up ({@link FollowUp}) and turns what it found into an exit code that
 * tells the truth: 0 nothing needs a person; 3 new DECLINED or DISCREPANCY rows appeared; 4 rows still UNKNOWN (or
 * RETRYABLE: rerun-failed), or PENDING past max-age; 5 a batch still has READY rows (restart it) or the provider's
 * queries failed (reconcile again); 8 the batch asked for is held by another live process; 9 the batch asked for waits
 * for approval (nothing of it was sent). Records a RECONCILE decision per batch it follows, or one without a batch.
 */
@Component
public class ReconcileRunner {

	private final FollowUp followUp;

	private final Ledger ledger;

	private final BatchReport report;

	private final BatchStatus status;

	private final DecisionEvents events;

	private final DualControl dualControl;

	ReconcileRunner(FollowUp followUp, Ledger ledger, BatchReport report, BatchStatus status, DecisionEvents events,
			DualControl dualControl) {
		this.followUp = followUp;
		this.ledger = ledger;
		this.report = report;
		this.status = status;
		this.events = events;
		this.dualControl = dualControl;
	}

	/** @param batchId null: every batch with open rows within max-age */
	public BatchRunner.Result reconcile(Long batchId, PrintWriter out) {
		if (batchId != null && ledger.findBatch(batchId).isEmpty()) {
			return new BatchRunner.Result(ExitCode.USAGE, "there is no batch " + batchId);
		}
		if (batchId != null) {
			events.record(DecisionEvent.Kind.RECONCILE, batchId, "reconcile of this batch");
			if (dualControl.isWaiting(batchId)) {
				// Nothing of it was sent: nothing to ask the provider about. What it waits for is what to say.
				return dualControl.waiting(batchId).orElseThrow();
			}
		}
		FollowUp.Result result = followUp.reconcile(batchId, line -> {
			out.println(line);
			out.flush();
		});
		out.printf("%d row(s) reconciled, %d changed status; reconcile sends no refund%n", result.checked(),
				result.changed());
		if (batchId == null) {
			// Recorded per batch it followed (after, as only then are they known; each row's change has its own event).
			String what = "reconcile of every batch with open rows: " + result.checked() + " row(s) checked";
			result.batches().forEach(id -> events.record(DecisionEvent.Kind.RECONCILE, id, what));
			if (result.batches().isEmpty()) {
				events.record(DecisionEvent.Kind.RECONCILE, null, "reconcile of every batch: none had open rows");
			}
		}
		out.flush();
		if (batchId != null && result.busy().contains(batchId)) {
			return new BatchRunner.Result(ExitCode.BUSY, "batch " + batchId
					+ " is being run by another process; nothing was done");
		}
		StringBuilder message = new StringBuilder();
		if (batchId != null) {
			message.append(report.summary(batchId)).append("  next: ")
				.append(status.nextCommand(batchId)).append(System.lineSeparator());
		}
		else if (result.batches().isEmpty()) {
			message.append("nothing to reconcile: no batch has SENDING, UNKNOWN or PENDING rows created within the "
					+ "last " + followUp.maxAge().toDays() + " days").append(System.lineSeparator());
		}
		else {
			for (long id : result.batches()) {
				message.append(status.oneLine(id)).append(System.lineSeparator());
			}
		}
		result.unfinished().forEach(line -> message.append(line).append(System.lineSeparator()));
		if (!result.pastMaxAge().isEmpty()) {
			message.append(result.pastMaxAge().size()).append(" row(s) still open past refunds.reconcile.max-age: a "
					+ "person must settle them (listed above)").append(System.lineSeparator());
		}
		if (result.failedQueries() > 0) {
			message.append(result.failedQueries()).append(" provider quer(ies) failed; the rows they were for are as "
					+ "they were: run reconcile again later").append(System.lineSeparator());
		}
		return new BatchRunner.Result(exitCodeFor(result), message.toString().stripTrailing());
	}

	static ExitCode exitCodeFor(FollowUp.Result result) {
		if (!result.unfinished().isEmpty() || result.failedQueries() > 0) {
			return ExitCode.FAILED_RESTARTABLE;
		}
		if (result.unsettled() > 0 || !result.pastMaxAge().isEmpty()) {
			return ExitCode.COMPLETED_UNSETTLED;
		}
		return result.newNeedsPerson() > 0 ? ExitCode.COMPLETED_WITH_REJECTIONS : ExitCode.COMPLETED;
	}

}
