package io.grouprefunds.reconcile;

import java.util.ArrayList;
import java.util.List;

import io.grouprefunds.ledger.AttemptLog;
import io.grouprefunds.ledger.BatchRecord;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.LedgerRow;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.provider.RefundProviders;
import io.grouprefunds.reconcile.Reconciler;
import io.grouprefunds.reconcile.Reconciliation;
import io.grouprefunds.throttle.Throttles;

import org.springframework.stereotype.Component;

/**
 * Settles every maybe-sent row (SENDING, UNKNOWN) of a batch by asking the provider: at the end of each submission,
 * and by the {@code reconcile} command. Sends nothing.
 */
@Component
public class BatchReconciliation {

	private final Ledger ledger;

	private final RefundProviders providers;

	private final Throttles throttles;

	private final AttemptLog attemptLog;

	BatchReconciliation(Ledger ledger, RefundProviders providers, Throttles throttles, AttemptLog attemptLog) {
		this.attemptLog = attemptLog;
		this.ledger = ledger;
		this.providers = providers;
		this.throttles = throttles;
	}

	/** @return one line per row: what was decided and on which evidence */
	public List<String> reconcileBatch(long batchId) {
		return reconcileBatch(batchId, null);
	}

	/**
	 * @param jobExecutionId the job execution reconciling (named in its QUERY attempt rows), if any
	 * @return one line per row: what was decided and on which evidence
	 */
	public List<String> reconcileBatch(long batchId, Long jobExecutionId) {
		BatchRecord batch = ledger.findBatch(batchId).orElseThrow();
		RefundProvider provider = providers.get(batch.provider());
		Reconciliation reconciliation = new Reconciliation(ledger, throttles.forProvider(batch.provider()), attemptLog,
				jobExecutionId);
		List<String> lines = new ArrayList<>();
		for (LedgerRow row : ledger.rowsIn(batchId, RowStatus.MAYBE_SENT)) {
			Reconciler.Decision decision = reconciliation.reconcile(provider, row);
			lines.add("line " + row.lineNumber() + " request " + row.requestId() + ": " + row.status() + " -> "
					+ decision.status() + " (" + decision.evidence() + ")");
		}
		return lines;
	}

}
