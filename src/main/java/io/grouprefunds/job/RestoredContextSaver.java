package io.grouprefunds.job;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * Saves a restarted step's restored ExecutionContext the moment the step starts.
 *
 * <p>Spring Batch 6.0.4 stores a restarted step's new execution with an empty context and restores the previous
 * context in memory only, until its first chunk commits (spring-batch #5594). A process killed before that commit
 * leaves the empty context behind, and the next restart reads from the start: for ingest, lines already in the
 * ledger again, a duplicate-key failure on every restart, a batch that can never finish. CrashIT hits it when two
 * kills in a row land in the ingest step.
 */
@Component
class RestoredContextSaver implements StepExecutionListener {

	private final JobRepository jobRepository;

	RestoredContextSaver(JobRepository jobRepository) {
		this.jobRepository = jobRepository;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		jobRepository.updateExecutionContext(stepExecution);
	}

}
