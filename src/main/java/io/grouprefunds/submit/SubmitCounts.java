package io.grouprefunds.submit;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

/**
 * Where the rows of the submit steps stand in the send pipeline, counted in this process: what the progress line
 * reads alongside what the ledger has settled (the meters). Settling lags a chunk behind: a chunk is recorded once
 * all its rows have their answer.
 */
@Component
class SubmitCounts {

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong answered = new AtomicLong();

	private final AtomicLong notSent = new AtomicLong();

	private final AtomicLong skipped = new AtomicLong();

	/** A row's first request left. */
	void sent() {
		sent.incrementAndGet();
	}

	/** A row left the pipeline with an answer (or settled by reconciliation): it waits for its chunk to be recorded. */
	void answered() {
		answered.incrementAndGet();
	}

	/** A row left the pipeline without being sent (a stop, the provider gone): it is put back as it was. */
	void notSent() {
		notSent.incrementAndGet();
	}

	/** A row found final, or settled by reconciliation, before it was queued: never sent. */
	void skipped() {
		skipped.incrementAndGet();
	}

	Snapshot now() {
		return new Snapshot(sent.get(), answered.get(), notSent.get(), skipped.get());
	}

	/** The counts at one moment; {@link #since} gives a step's share. */
	record Snapshot(long sent, long answered, long notSent, long skipped) {

		static final Snapshot NONE = new Snapshot(0, 0, 0, 0);

		Snapshot since(Snapshot start) {
			return new Snapshot(sent - start.sent, answered - start.answered, notSent - start.notSent,
					skipped - start.skipped);
		}

		/** Rows the pipeline is done with: answered, put back unsent, or never queued. */
		long done() {
			return answered + notSent + skipped;
		}

	}

}
