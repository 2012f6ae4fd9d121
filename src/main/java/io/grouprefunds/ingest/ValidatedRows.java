package io.grouprefunds.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import io.grouprefunds.ledger.LedgerEntry;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * The ingest step's reader: the file's rows, read ({@link RefundCsvReader}) and validated ({@link RefundRowValidator})
 * one chunk ahead on a thread of its own, so that parsing and validating the next rows overlaps the database's work on
 * the chunk being recorded (its duplicate check, {@code COPY} and commit) instead of waiting for it. On two cores the
 * step then costs about the larger of the two, not their sum.
 *
 * <p>Restartable exactly as the CSV reader: the position saved at each chunk commit is the number of records the
 * CSV reader had consumed when it produced the last row handed to the step, never what the thread has read ahead. A
 * failure of the thread (a refused file, a file that changed while read) reaches the step at the row where it
 * happened, after every row before it.
 */
public class ValidatedRows implements ItemStreamReader<LedgerEntry> {

	/** Rows handed from the thread to the step at a time: one hand-over per row would cost a wake-up per row. */
	static final int BLOCK = 256;

	private final RefundCsvReader csv;

	private final RefundRowValidator validator;

	private final int aheadBlocks;

	private BlockingQueue<Block> queue;

	private Thread thread;

	private Block current;

	private int next;

	/** Records the CSV reader had consumed for the last row handed to the step: the restart position. */
	private long consumed;

	private boolean ended;

	/** @param ahead rows the thread may read ahead of the step (about a chunk: more only costs memory) */
	public ValidatedRows(RefundCsvReader csv, RefundRowValidator validator, int ahead) {
		this.csv = csv;
		this.validator = validator;
		this.aheadBlocks = Math.max(2, (ahead + BLOCK - 1) / BLOCK);
	}

	@Override
	public void open(ExecutionContext context) {
		// On the step's thread: the file gate, the header and the restart position, before any row is read.
		csv.open(context);
		consumed = csv.recordsRead();
		queue = new ArrayBlockingQueue<>(aheadBlocks);
		thread = new Thread(this::readAhead, "ingest-read-ahead");
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public LedgerEntry read() {
		while (!ended && (current == null || next == current.entries.size())) {
			if (current != null && current.failure != null) {
				ended = true;
				throw current.failure;
			}
			if (current != null && current.end) {
				ended = true;
				consumed = current.recordsAtEnd;
				return null;
			}
			current = take();
			next = 0;
		}
		if (ended) {
			return null;
		}
		consumed = current.records[next];
		return current.entries.get(next++);
	}

	@Override
	public void update(ExecutionContext context) {
		context.putLong(RefundCsvReader.RECORDS_READ, consumed);
	}

	@Override
	public void close() {
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			thread = null;
		}
		csv.close();
	}

	private Block take() {
		try {
			return queue.take();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ItemStreamException("interrupted while waiting for the next rows of the file", ex);
		}
	}

	/**
	 * The same rows, a chunk at a time: the step's item is a whole chunk, so Spring Batch's per-item work (an
	 * observation, events, listeners and a scoped proxy call per read and per process) happens once per chunk, not
	 * once per row. A chunk is {@code size} rows (the last one fewer), except the first of each execution: a tenth
	 * of that, so the database starts recording while the thread, its code not yet compiled, reads the next rows
	 * (the first full chunk took 0.3 s to read on a cold JVM, with the database idle).
	 */
	public ItemStreamReader<List<LedgerEntry>> chunks(int size) {
		return new ItemStreamReader<>() {

			private int want = Math.max(1, size / 10);

			@Override
			public void open(ExecutionContext context) {
				ValidatedRows.this.open(context);
			}

			@Override
			public List<LedgerEntry> read() {
				List<LedgerEntry> chunk = new ArrayList<>(want);
				while (chunk.size() < want) {
					LedgerEntry entry = ValidatedRows.this.read();
					if (entry == null) {
						break;
					}
					chunk.add(entry);
				}
				want = size;
				return chunk.isEmpty() ? null : chunk;
			}

			@Override
			public void update(ExecutionContext context) {
				ValidatedRows.this.update(context);
			}

			@Override
			public void close() {
				ValidatedRows.this.close();
			}

		};
	}

	/** The thread: reads and validates until the end of the file, a failure, or {@link #close}. */
	private void readAhead() {
		Block block = new Block();
		try {
			while (true) {
				CsvRecord record = csv.read();
				if (record == null) {
					block.end = true;
					block.recordsAtEnd = csv.recordsRead();
					queue.put(block);
					return;
				}
				block.add(validator.process(record), csv.recordsRead());
				if (block.entries.size() == BLOCK) {
					queue.put(block);
					block = new Block();
				}
			}
		}
		catch (InterruptedException ex) {
			// closed by the step: nothing more is wanted
		}
		catch (RuntimeException | Error ex) {
			block.failure = ex instanceof RuntimeException runtime ? runtime
					: new IllegalStateException("reading the file failed: " + ex, ex);
			try {
				queue.put(block);
			}
			catch (InterruptedException interrupted) {
				// closed by the step
			}
		}
	}

	/** Rows in file order, each with the CSV reader's record count after it; then maybe the end, or a failure. */
	private static final class Block {

		final List<LedgerEntry> entries = new ArrayList<>(BLOCK);

		final long[] records = new long[BLOCK];

		boolean end;

		long recordsAtEnd;

		RuntimeException failure;

		void add(LedgerEntry entry, long recordsRead) {
			records[entries.size()] = recordsRead;
			entries.add(entry);
		}

	}

}
