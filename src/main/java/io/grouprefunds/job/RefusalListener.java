package io.grouprefunds.job;

import io.grouprefunds.report.BatchReport;

import io.grouprefunds.ingest.FileRefusedException;
import io.grouprefunds.ledger.Ledger;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

/**
 * When the file gate refused the file, closes the batch for good (REFUSED, rows REJECTED) so that no later run or
 * restart can send anything from it.
 */
@Component
class RefusalListener implements JobExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(RefusalListener.class);

	private final Ledger ledger;

	private final BatchReport report;

	RefusalListener(Ledger ledger, BatchReport report) {
		this.ledger = ledger;
		this.report = report;
	}

	@Override
	public void afterJob(JobExecution execution) {
		FileRefusedException refusal = refusalOf(execution);
		if (refusal != null) {
			long batchId = execution.getJobParameters().getLong("batchId");
			ledger.refuseBatch(batchId, refusal.getMessage());
			log.info("batch {} refused, nothing was sent: {}", batchId, refusal.getMessage());
			if (ledger.countRows(batchId) > 0) {
				// The operator sees which rows were wrong on their own, and gets the file back to fix.
				try {
					report.writeResultFile(batchId);
					report.writeRejectedFile(batchId);
				}
				catch (RuntimeException ex) {
					log.warn("batch {}: could not write its reports: {}", batchId, ex.getMessage(), ex);
				}
			}
		}
	}

	static FileRefusedException refusalOf(JobExecution execution) {
		return execution.getAllFailureExceptions()
			.stream()
			.map(failure -> ExceptionUtils.throwableOfType(failure, FileRefusedException.class))
			.filter(java.util.Objects::nonNull)
			.findFirst()
			.orElse(null);
	}

}
