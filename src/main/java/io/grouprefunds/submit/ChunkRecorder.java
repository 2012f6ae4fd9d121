package io.grouprefunds.submit;

import io.grouprefunds.domain.SubmitOutcome;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.ledger.AttemptLog;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.Ledger.RecordedOutcome;

/**
 * Records each chunk's outcomes, with the answers of every attempt its rows made, in one committed transaction, once all of its rows have left the pipeline, one chunk
 * at a time and in the order they were submitted, off the network threads. Rows never sent are put back as they were
 * (see {@link SubmitWriter} for why that keeps restarts exact).
 */
final class ChunkRecorder {

	private final Ledger ledger;

	private final String provider;

	private final SubmitMetrics metrics;

	private final OutcomeLog outcomeLog;

	/** Told when the ledger cannot be written: sending stops. */
	private final Consumer<RuntimeException> failed;

	private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
		Thread thread = new Thread(runnable, "submit-recorder");
		thread.setDaemon(true);
		return thread;
	});

	/** Chunks submitted and not yet recorded, oldest first; guarded by itself. */
	private final Deque<ChunkInFlight> unrecorded = new ArrayDeque<>();

	ChunkRecorder(Ledger ledger, String provider, SubmitMetrics metrics, Consumer<RuntimeException> failed) {
		this.ledger = ledger;
		this.provider = provider;
		this.metrics = metrics;
		this.outcomeLog = new OutcomeLog();
		this.failed = failed;
	}

	/** A chunk of {@code rows} claimed rows, to be recorded once each has left the pipeline. */
	ChunkInFlight open(int rows) {
		ChunkInFlight chunk = new ChunkInFlight(rows);
		synchronized (unrecorded) {
			unrecorded.addLast(chunk);
		}
		if (rows == 0) {
			executor.execute(() -> record(chunk));
		}
		return chunk;
	}

	/** A row left the pipeline; the chunk's last one has it recorded. */
	void left(RowResult result) {
		ChunkInFlight chunk = result.claimed().chunk;
		if (chunk.add(result)) {
			executor.execute(() -> record(chunk));
		}
	}

	/** Waits until every chunk opened before {@code chunk} is recorded; {@code null}: every chunk so far. */
	void awaitRecordedBefore(ChunkInFlight chunk) {
		List<ChunkInFlight> earlier = new ArrayList<>();
		synchronized (unrecorded) {
			for (ChunkInFlight each : unrecorded) {
				if (each == chunk) {
					break;
				}
				earlier.add(each);
			}
		}
		earlier.forEach(ChunkInFlight::awaitRecorded);
	}

	/** Records nothing more; chunks already handed over are still recorded. */
	void shutdown() {
		executor.shutdown();
	}

	private void record(ChunkInFlight chunk) {
		try {
			List<RecordedOutcome> outcomes = new ArrayList<>();
			List<RowResult> answered = new ArrayList<>();
			Map<Long, RowStatus> neverSent = new HashMap<>();
			List<AttemptLog.Answer> answers = new ArrayList<>();
			for (RowResult result : chunk.results()) {
				ClaimedRow claimed = result.claimed();
				boolean claimCounted = claimed.claimCounted();
				answers.addAll(claimed.takeAnswers());
				if (result.settled()) {
					metrics.row(provider, claimed.settledAs.name());
				}
				else if (result.neverSent()) {
					neverSent.put(claimed.row.rowId(), claimed.prior);
					metrics.row(provider, "NOT_SENT");
				}
				else {
					outcomes.add(new RecordedOutcome(claimed.row.rowId(), result.outcome(), claimCounted));
				}
			}
			// One transaction: the attempts' answers, the rows' outcomes, the rows never sent put back. The ledger
			// decides an accepted row's status from the refund parts it owns: count and log that.
			Map<Long, SubmitOutcome> recorded = ledger.recordChunk(outcomes, neverSent, answers);
			for (RowResult result : chunk.results()) {
				if (!result.settled() && !result.neverSent()) {
					SubmitOutcome outcome = recorded.getOrDefault(result.claimed().row.rowId(), result.outcome());
					metrics.row(provider, outcome.status().name());
					answered.add(new RowResult(result.claimed(), outcome, false));
				}
			}
			chunk.recorded();
			outcomeLog.recorded(answered);
		}
		catch (RuntimeException ex) {
			// The rows stay SENDING: a restart reconciles them before anything is sent again.
			failed.accept(new IllegalStateException("could not record outcomes in the ledger: "
					+ Failures.describe(ex), ex));
			chunk.notRecorded(ex);
		}
		finally {
			synchronized (unrecorded) {
				unrecorded.remove(chunk);
			}
		}
	}

}
