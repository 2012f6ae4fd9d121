package io.grouprefunds.submit;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The claimed rows of one chunk on their way: recorded together, in one committed transaction, once every one has
 * left the send pipeline (see {@link ChunkRecorder}).
 */
final class ChunkInFlight {

	private final AtomicInteger remaining;

	private final ConcurrentLinkedQueue<RowResult> results = new ConcurrentLinkedQueue<>();

	private final CompletableFuture<Void> recorded = new CompletableFuture<>();

	ChunkInFlight(int rows) {
		this.remaining = new AtomicInteger(rows);
	}

	/** @return true when this was the chunk's last row */
	boolean add(RowResult result) {
		results.add(result);
		return remaining.decrementAndGet() == 0;
	}

	List<RowResult> results() {
		return List.copyOf(results);
	}

	void recorded() {
		recorded.complete(null);
	}

	void notRecorded(RuntimeException cause) {
		recorded.completeExceptionally(cause);
	}

	/** Waits until the chunk's outcomes are committed; throws what kept them from being recorded. */
	void awaitRecorded() {
		try {
			recorded.join();
		}
		catch (CompletionException ex) {
			throw ex.getCause() instanceof RuntimeException runtime ? runtime : ex;
		}
	}

}
