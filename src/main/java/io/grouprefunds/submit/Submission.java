package io.grouprefunds.submit;

import io.grouprefunds.ledger.LedgerRow;

import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * One submit step execution: its writer claims each chunk and hands it to the send pipeline, its reader saves the
 * position of the last chunk wholly recorded. Closing it (the step is over, however it ended) sends nothing more and
 * records what is in flight.
 */
public class Submission implements AutoCloseable {

	private final SubmitPipeline pipeline;

	private final SubmitWriter writer;

	Submission(SubmitPipeline pipeline, SubmitWriter writer) {
		this.pipeline = pipeline;
		this.writer = writer;
	}

	/** The step's reader: {@code rows} (the batch's unfinished rows in line order), saving a restartable position. */
	public ItemStreamReader<LedgerRow> reader(ItemStreamReader<LedgerRow> rows) {
		return new RecordedPositionReader(rows, pipeline);
	}

	/** The step's writer: claims, sends through the pipeline, records. */
	public ItemStreamWriter<LedgerRow> writer() {
		return writer;
	}

	@Override
	public void close() {
		pipeline.close();
	}

}
