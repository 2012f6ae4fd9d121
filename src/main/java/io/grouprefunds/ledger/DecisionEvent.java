package io.grouprefunds.ledger;

import java.time.Instant;

/**
 * An operator decision as {@code refund_event} recorded it, with its actor: the database login, and the OS user, host
 * and command line (secrets removed) the job set for its session.
 */
public record DecisionEvent(long eventId, String kind, Long batchId, String detail, String dbUser,
		String osUser, String host, String commandLine, Instant occurredAt) {

	/** The decisions the application records (row_id NULL); a row's status changes are recorded by the database. */
	public enum Kind {

		/** A new batch: {@code run} of a file not seen before (its db_user is the batch's submitter). */
		RUN,
		/** {@code run} of a file whose batch is not finished resumes it. */
		RESUME,
		/** {@code restart BATCH}. */
		RESTART,
		/** {@code rerun-failed BATCH}. */
		RERUN_FAILED,
		/** {@code reconcile}: per batch it touched, or one without a batch. */
		RECONCILE,
		/** {@code run --allow-reprocess}: a new batch of a file already processed. */
		REPROCESS,
		/** The batch's valid total is above an approval threshold: nothing is sent until it is approved. */
		APPROVAL_REQUIRED,
		/** {@code approve BATCH}: a second person approved it. */
		APPROVE,
		/** {@code approve BATCH} refused: the submitter tried to approve their own batch. */
		APPROVAL_REFUSED

	}

	public boolean is(Kind other) {
		return other.name().equals(kind);
	}

	/** "alice (os user ops@host1) at 2026-12-04 17:40:00 UTC", as {@code status} shows an actor. */
	public String actor(java.time.format.DateTimeFormatter utc) {
		String os = osUser == null && host == null ? ""
				: " (os user " + (osUser == null ? "?" : osUser) + "@" + (host == null ? "?" : host) + ")";
		return dbUser + os + " at " + utc.format(occurredAt) + " UTC";
	}

}
