package io.grouprefunds.report;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

/**
 * Rows change even in a run that fails or stops part-way (rows sent, rows put back): the result file is rewritten
 * then too, so it always says what the ledger says. A completed run writes it in its report step.
 */
@Component
public class ResultFileListener implements JobExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(ResultFileListener.class);

	private final BatchReport report;

	ResultFileListener(BatchReport report) {
		this.report = report;
	}

	@Override
	public void afterJob(JobExecution execution) {
		Long batchId = execution.getJobParameters().getLong("batchId");
		if (batchId == null || execution.getStatus() == BatchStatus.COMPLETED) {
			return;
		}
		try {
			report.writeResultFile(batchId);
		}
		catch (RuntimeException ex) {
			// The run's own failure is what the operator must read; the file is rewritten by the next command.
			log.warn("batch {}: could not rewrite the result file: {}", batchId, ex.getMessage());
		}
	}

}
