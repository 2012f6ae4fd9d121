package io.grouprefunds.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;

/**
 * A job instance that never got an execution. Spring Batch commits a new instance and its first execution in two
 * transactions: a process killed between them (a kill -9 a few milliseconds after "batch N: … for provider") leaves the
 * instance alone, and Spring Batch then refuses to start it again ("Cannot find any job execution for job instance"):
 * the batch would be stuck for good, every later run an internal error. Nothing ran under such an instance, so it is
 * dropped and the job starts afresh. Called with the batch lock held (the parameters name the batch): no live process
 * is between creating this instance and its execution.
 */
final class UnstartedInstance {

	private static final Logger log = LoggerFactory.getLogger(UnstartedInstance.class);

	private UnstartedInstance() {
	}

	static void dropIfAny(JobRepository jobRepository, String jobName, JobParameters parameters) {
		JobInstance instance = jobRepository.getJobInstance(jobName, parameters);
		if (instance != null && jobRepository.getJobExecutions(instance).isEmpty()) {
			log.warn("{} instance {} was created by a process that died before its first execution; it is dropped and "
					+ "the job starts afresh", jobName, instance.getInstanceId());
			jobRepository.deleteJobInstance(instance);
		}
	}

}
