package io.grouprefunds.job;

/**
 * The process exit codes, one meaning each, for operators and cron. Documented in the README; jobs/nightly-refunds.sh
 * acts on them.
 */
public enum ExitCode {

	/** Completed: every row SUCCEEDED or PENDING. */
	COMPLETED(0),
	/** Unexpected internal error. */
	INTERNAL_ERROR(1),
	/** The command line was wrong. */
	USAGE(2),
	/** Completed; some rows REJECTED (invalid) or DECLINED by the provider need a person. */
	COMPLETED_WITH_REJECTIONS(3),
	/** Completed; some rows RETRYABLE or UNKNOWN: run rerun-failed or reconcile. */
	COMPLETED_UNSETTLED(4),
	/** Failed or stopped part-way; restartable: restart, or run the same file again. */
	FAILED_RESTARTABLE(5),
	/** Refused: a bad file, or a file already processed. Nothing was sent. */
	REFUSED(6),
	/** Configuration error (credentials, URL, provider settings): fix it, then run the same file again. */
	CONFIGURATION_ERROR(7),
	/** Another live process holds this batch or file. */
	BUSY(8);

	private final int code;

	ExitCode(int code) {
		this.code = code;
	}

	public int code() {
		return code;
	}

}
