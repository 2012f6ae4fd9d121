package io.grouprefunds.submit;

import io.grouprefunds.reconcile.Reconciliation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.grouprefunds.ledger.AttemptLog;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.LedgerRow;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.provider.RefundProvider;

import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * The submit step's writer: where refunds are claimed, and handed to the {@link SubmitPipeline} that sends them.
 *
 * <ol>
 * <li>wait until the previous chunk is nearly all sent (so few claimed rows wait at any time);</li>
 * <li>re-read the chunk's rows (after a restart they may have moved on);</li>
 * <li>rows that may already have reached the provider (SENDING, UNKNOWN) are reconciled first, unless the account
 * enforces idempotency keys;</li>
 * <li>claim: the sendable rows become SENDING in one committed transaction, before any request leaves, with each
 * row's attempt row ({@code refund_attempt}, the audit trail);</li>
 * <li>queue them in the pipeline, and wait until the <em>previous</em> chunk's outcomes are recorded, each chunk in
 * one committed transaction; the last chunk waits for its own.</li>
 * </ol>
 *
 * <p>So at each commit every chunk but the current one is recorded, and the {@link RecordedPositionReader} saves the
 * position after the previous chunk, not this one: a restart begins at the oldest chunk that may still have rows in
 * flight, where the rows sent are final or SENDING (reconciled before anything is sent again) and the rows not sent
 * are as they were. Then a configuration error, a provider that stays down, or a stop request ends the step once
 * everything in flight is recorded.
 */
class SubmitWriter implements ItemStreamWriter<LedgerRow> {

	private final Ledger ledger;

	private final RefundProvider provider;

	private final Reconciliation reconciliation;

	private final SubmitPipeline pipeline;

	private final SubmitMetrics metrics;

	private final SubmitCounts counts;

	private final Long jobExecutionId;

	SubmitWriter(Ledger ledger, RefundProvider provider, Reconciliation reconciliation, SubmitPipeline pipeline,
			SubmitMetrics metrics, SubmitCounts counts, Long jobExecutionId) {
		this.jobExecutionId = jobExecutionId;
		this.ledger = ledger;
		this.provider = provider;
		this.reconciliation = reconciliation;
		this.pipeline = pipeline;
		this.metrics = metrics;
		this.counts = counts;
	}

	@Override
	public void write(Chunk<? extends LedgerRow> chunk) throws Exception {
		pipeline.awaitUnsentAtMost(pipeline.claimAhead());
		pipeline.throwIfFailed();
		List<LedgerRow> rows = ledger.current(chunk.getItems().stream().map(LedgerRow::rowId).toList());
		List<LedgerRow> toSend = new ArrayList<>();
		for (LedgerRow row : rows) {
			if (RowStatus.SENDABLE.contains(row.status())) {
				toSend.add(row);
			}
			else if (RowStatus.MAYBE_SENT.contains(row.status())) {
				if (provider.idempotencyEnforced()) {
					toSend.add(row); // the provider answers a repeated key with the first answer
				}
				else {
					RowStatus settled = reconciliation.reconcile(provider, row).status();
					if (settled == RowStatus.RETRYABLE) {
						toSend.add(row.withStatus(RowStatus.RETRYABLE));
					}
					else {
						metrics.row(provider.name(), settled.name());
						counts.skipped();
					}
				}
			}
			else {
				metrics.row(provider.name(), "ALREADY_DONE");
				counts.skipped();
			}
		}
		ChunkInFlight sending = null;
		if (!toSend.isEmpty()) {
			// The claim commits each row's first attempt row with it, before any of them leaves.
			Map<Long, AttemptLog.Attempt> claimed = new HashMap<>();
			ledger.claim(toSend.stream().map(LedgerRow::rowId).toList(), jobExecutionId)
				.forEach(attempt -> claimed.put(attempt.rowId(), attempt));
			sending = pipeline.submit(toSend.stream().filter(row -> claimed.containsKey(row.rowId())).toList(),
					claimed);
		}
		pipeline.awaitRecordedBefore(sending);
		if (pipeline.isSourceExhausted()) {
			pipeline.awaitAll();
		}
		pipeline.throwIfFailed();
		if (StopRequest.isRequested()) {
			// Rolls the chunk back (its reader position is not saved) and ends the step STOPPED: a restart begins at
			// the oldest chunk with rows in flight, where the rows sent are final and the rows not sent are as they were.
			pipeline.awaitAll();
			throw new JobInterruptedException("stop requested; requests in flight were recorded");
		}
	}

	@Override
	public void open(ExecutionContext executionContext) {
		ledger.refreshStatistics();
	}

	@Override
	public void update(ExecutionContext executionContext) {
	}

	/** The step is over, however it ended: nothing more is sent; what is in flight is awaited and recorded. */
	@Override
	public void close() {
		pipeline.close();
	}

}
