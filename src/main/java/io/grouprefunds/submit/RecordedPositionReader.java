package io.grouprefunds.submit;

import java.util.Map;

import io.grouprefunds.ledger.LedgerRow;

import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * The submit step's reader, one chunk behind: it saves, at each commit, the position its reader had at the commit
 * before, because the chunk just written may still have requests in flight (see {@link SubmitWriter}). A restart
 * therefore begins at the oldest chunk that was not wholly recorded; rows found final there are skipped.
 *
 * <p>At the end of the rows it waits for everything in flight to be recorded, so that the step completes only when
 * every row has its outcome, and fails or stops if the pipeline did.
 */
class RecordedPositionReader implements ItemStreamReader<LedgerRow> {

	private final ItemStreamReader<LedgerRow> delegate;

	private final SubmitPipeline pipeline;

	/** The reader's state at the previous commit: every row before it is recorded. */
	private ExecutionContext previous;

	RecordedPositionReader(ItemStreamReader<LedgerRow> delegate, SubmitPipeline pipeline) {
		this.delegate = delegate;
		this.pipeline = pipeline;
	}

	@Override
	public LedgerRow read() throws Exception {
		LedgerRow row = delegate.read();
		if (row == null) {
			pipeline.sourceExhausted();
			pipeline.awaitAll();
			pipeline.throwIfFailed();
			if (StopRequest.isRequested()) {
				// Rows put back unsent must not be taken for done: the step stops, restartable.
				throw new JobInterruptedException("stop requested; requests in flight were recorded");
			}
		}
		return row;
	}

	@Override
	public void open(ExecutionContext executionContext) {
		delegate.open(executionContext);
		previous = snapshot();
	}

	@Override
	public void update(ExecutionContext executionContext) {
		ExecutionContext now = snapshot();
		for (Map.Entry<String, Object> entry : previous.entrySet()) {
			executionContext.put(entry.getKey(), entry.getValue());
		}
		previous = now;
	}

	@Override
	public void close() {
		delegate.close();
	}

	private ExecutionContext snapshot() {
		ExecutionContext state = new ExecutionContext();
		delegate.update(state);
		return state;
	}

}
