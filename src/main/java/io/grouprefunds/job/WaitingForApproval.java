package io.grouprefunds.job;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobInterruptedException;

/**
 * Thrown by {@code approvalStep} when the batch waits for a second person's {@code approve}: an interruption, not a
 * failure, so the step and the job end STOPPED (restartable at this step: the file is not ingested again) and nothing
 * is logged as an error.
 */
class WaitingForApproval extends JobInterruptedException {

	WaitingForApproval(String message) {
		super(message, BatchStatus.STOPPED);
	}

}
