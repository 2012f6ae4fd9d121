package io.grouprefunds.job;

/**
 * The process exit codes, one meaning each, for operators and cron. Documented in the README; jobs/nightly-refunds.sh
 * acts on them.
 */
public enum ExitCode {

	/**
	 * Completed: every row SUCCEEDED or PENDING (the nightly reconcile follows PENDING rows); for {@code reconcile}:
	 * nothing needs a person.
	 */
	COMPLETED(0),
	/** Unexpected internal error. */
	INTERNAL_ERROR(1),
	/** The command line was wrong. */
	USAGE(2),
	/**
	 * Completed; some rows REJECTED (invalid, or by the preflight), DECLINED by the provider or DISCREPANCY (money
	 * moved, but not as asked) need a person. For {@code reconcile}: new DECLINED or DISCREPANCY rows appeared.
	 */
	COMPLETED_WITH_REJECTIONS(3),
	/**
	 * Completed; some rows RETRYABLE or UNKNOWN: run rerun-failed or reconcile. For {@code reconcile}: rows still
	 * UNKNOWN (or RETRYABLE), or PENDING past {@code refunds.reconcile.max-age}.
	 */
	COMPLETED_UNSETTLED(4),
	/**
	 * Failed or stopped part-way; restartable: restart, or run the same file again. A batch with READY rows left is
	 * never reported completed. For {@code reconcile}: a batch still has READY rows (restart it), or the provider's
	 * queries failed (reconcile again later).
	 */
	FAILED_RESTARTABLE(5),
	/** Refused: a bad file, or a file already processed. Nothing was sent. */
	REFUSED(6),
	/**
	 * Configuration error (credentials, URL, a provider path that answers 404): fix it, then run the same file
	 * again.
	 */
	CONFIGURATION_ERROR(7),
	/** Another live process holds this batch or file. */
	BUSY(8),
	/**
	 * Waiting for approval (dual control): a valid total is above {@code refunds.approval.above.<CCY>}; the batch is
	 * validated and recorded, nothing was sent. Another database login runs {@code approve BATCH}; then the same file
	 * again, or {@code restart BATCH}, sends it.
	 */
	WAITING_FOR_APPROVAL(9);

	private final int code;

	ExitCode(int code) {
		this.code = code;
	}

	public int code() {
		return code;
	}

}
