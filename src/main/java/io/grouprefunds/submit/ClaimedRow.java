package io.grouprefunds.submit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.domain.SubmitOutcome;
import io.grouprefunds.ledger.AttemptLog;
import io.grouprefunds.ledger.LedgerRow;

/** A claimed row on its way through the send pipeline; its fields are touched by one request chain at a time. */
final class ClaimedRow {

	final LedgerRow row;

	final ChunkInFlight chunk;

	/** The status to put back if the row is not sent after all. */
	RowStatus prior;

	/** Requests sent this run, retries after a 429 excluded: what {@code maxRetries} bounds (not the ledger's count). */
	int tries;

	/** The next request is a retry after a 429: it does not count against the row. */
	boolean uncounted;

	Long rateLimitedSince;

	SubmitOutcome lastOutcome;

	RowStatus settledAs;

	private boolean leftQueue;

	/**
	 * The row's attempts committed in the attempt log whose answers are not recorded yet, oldest first; only the last
	 * may not have left yet. Every request needs one that has not left ({@link #needsAttempt}).
	 */
	private final List<Attempt> unanswered = new ArrayList<>();

	/** One committed attempt row, and what became of its request. */
	private static final class Attempt {

		final long attemptId;

		/** Committed by a claim, which also counted it in {@code refund_row.attempts}. */
		final boolean byClaim;

		Instant sentAt;

		Instant answeredAt;

		SubmitOutcome outcome;

		Attempt(long attemptId, boolean byClaim) {
			this.attemptId = attemptId;
			this.byClaim = byClaim;
		}

	}

	/** @param attempt the attempt row committed with the claim; null only where the caller records one later */
	ClaimedRow(LedgerRow row, ChunkInFlight chunk, AttemptLog.Attempt attempt) {
		this.row = row;
		this.chunk = chunk;
		if (attempt != null) {
			unanswered.add(new Attempt(attempt.attemptId(), true));
		}
		// A maybe-sent row sent again under an enforced idempotency key goes back UNKNOWN, never READY.
		this.prior = RowStatus.MAYBE_SENT.contains(row.status()) ? RowStatus.UNKNOWN : row.status();
	}

	/** Whether the next request needs a new attempt row first: the last one committed has left (or there is none). */
	boolean needsAttempt() {
		return unanswered.isEmpty() || unanswered.get(unanswered.size() - 1).sentAt != null;
	}

	/** An attempt row was committed for the next request (a retry: the claim did not count it). */
	void attemptRecorded(AttemptLog.Attempt attempt) {
		unanswered.add(new Attempt(attempt.attemptId(), false));
	}

	/**
	 * A request is leaving, under the attempt row committed for it; counted against the row's retries unless it is
	 * the retry of a 429.
	 */
	void requestLeaving() {
		if (needsAttempt()) {
			throw new IllegalStateException("a request for row " + row.rowId() + " without its attempt row");
		}
		unanswered.get(unanswered.size() - 1).sentAt = Instant.now();
		if (uncounted) {
			uncounted = false;
		}
		else {
			tries++;
		}
	}

	/** What the request that left last came to (an answer, or the adapter's reading of none). */
	void answered(SubmitOutcome outcome) {
		Attempt last = unanswered.get(unanswered.size() - 1);
		last.answeredAt = Instant.now();
		last.outcome = outcome;
	}

	/**
	 * Whether {@code refund_row.attempts} is right as the claim left it (see
	 * {@link io.grouprefunds.ledger.Ledger.RecordedOutcome}): the only attempt not recorded yet is the claim's, and its
	 * answer counts (it left, and was not a 429). Ask before {@link #takeAnswers}.
	 */
	boolean claimCounted() {
		if (unanswered.size() != 1) {
			return false;
		}
		Attempt only = unanswered.get(0);
		return only.byClaim && only.sentAt != null
				&& AttemptLog.Answer.of(only.attemptId, only.sentAt, only.answeredAt, only.outcome).counts();
	}

	/** The answers of the attempts not recorded yet, to record now (an attempt that never left: NOT_SENT). */
	List<AttemptLog.Answer> takeAnswers() {
		List<AttemptLog.Answer> answers = new ArrayList<>();
		for (Attempt attempt : unanswered) {
			answers.add(attempt.sentAt == null ? AttemptLog.Answer.notSent(attempt.attemptId)
					: AttemptLog.Answer.of(attempt.attemptId, attempt.sentAt, attempt.answeredAt, attempt.outcome));
		}
		unanswered.clear();
		return answers;
	}

	/** @return true the first time: the row no longer waits to be sent (it left, or never will) */
	boolean leaveQueue() {
		if (leftQueue) {
			return false;
		}
		leftQueue = true;
		return true;
	}

	/** Claimed again (with a new attempt row) after reconciliation proved the last request was not applied. */
	void reclaimed(AttemptLog.Attempt attempt) {
		prior = RowStatus.RETRYABLE;
		lastOutcome = null;
		unanswered.add(new Attempt(attempt.attemptId(), true));
	}

	/**
	 * Leaves the pipeline with its last answer: recorded as that outcome. A row with no answer was never sent and is
	 * put back as it was; a row that had one keeps it (429, refused: provably not processed).
	 */
	RowResult result() {
		return new RowResult(this, lastOutcome, false);
	}

	/** Leaves the pipeline already settled in the ledger (by reconciliation), or left as it is there. */
	RowResult settled(RowStatus status) {
		settledAs = status;
		return new RowResult(this, null, true);
	}

}
