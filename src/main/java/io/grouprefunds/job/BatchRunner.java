package io.grouprefunds.job;

import io.grouprefunds.report.BatchReport;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.grouprefunds.ledger.BatchControls;
import io.grouprefunds.ledger.BatchLocks;
import io.grouprefunds.ledger.BatchRecord;
import io.grouprefunds.ledger.DecisionEvent;
import io.grouprefunds.ledger.DecisionEvents;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.ledger.StatusTotal;
import io.grouprefunds.domain.ConfigurationException;
import io.grouprefunds.provider.RefundProviders;
import io.grouprefunds.submit.StopRequest;
import io.grouprefunds.system.RunMetrics;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/**
 * What the batch commands do around the jobs: decide whether a file is new, a restart, or refused; hold the batch
 * lock for the whole command; launch, restart or re-run; turn the end into an exit code and a message.
 */
@Component
public class BatchRunner {

	private static final Logger log = LoggerFactory.getLogger(BatchRunner.class);

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final Job refundJob;

	private final Job rerunJob;

	private final Ledger ledger;

	private final BatchLocks locks;

	private final RefundProviders providers;

	private final BatchReport report;

	private final InputFiles inputFiles;

	private final RunMetrics runMetrics;

	private final DecisionEvents events;

	private final DualControl dualControl;

	BatchRunner(JobOperator jobOperator, JobRepository jobRepository, Job refundJob, Job rerunJob, Ledger ledger,
			BatchLocks locks, RefundProviders providers, BatchReport report, InputFiles inputFiles,
			RunMetrics runMetrics, DecisionEvents events, DualControl dualControl) {
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.refundJob = refundJob;
		this.rerunJob = rerunJob;
		this.ledger = ledger;
		this.locks = locks;
		this.providers = providers;
		this.report = report;
		this.inputFiles = inputFiles;
		this.runMetrics = runMetrics;
		this.events = events;
		this.dualControl = dualControl;
	}

	/** The outcome of a command: its exit code and what to tell the operator. */
	public record Result(ExitCode exitCode, String message) {
	}

	/** {@code run FILE --provider P}: a new file starts a batch; a file seen before resumes or is refused. */
	public Result run(Path file, String providerName) {
		return run(file, providerName, RunOptions.NONE);
	}

	/**
	 * {@code run FILE --provider P [controls] [--allow-reprocess]}. A file (known by its SHA-256) whose earlier
	 * batches were all refused starts a new batch: nothing of it was sent. A file with an unfinished batch resumes
	 * it, with the control totals it started with. A file already processed is refused, unless the operator allows
	 * reprocessing: then it is a new batch, in which every request_id already used is REJECTED as a duplicate.
	 */
	public Result run(Path file, String providerName, RunOptions options) {
		providers.get(providerName).checkConfiguration();
		if (!Files.isRegularFile(file)) {
			return new Result(ExitCode.REFUSED, (Files.isDirectory(file) ? "not a file: " : "no such file: ") + file);
		}
		// The first of the file's two reads: its SHA-256, soundness and provider, in one pass (see InputFiles).
		InputFiles.Inspected inspected;
		try {
			inspected = inputFiles.inspect(file, providerName);
		}
		catch (UncheckedIOException ex) {
			return new Result(ExitCode.REFUSED, "cannot read " + file + ": " + ex.getCause().getMessage());
		}
		String sha = inspected.inspection().sha256();
		return locked(sha, "this file", () -> {
			List<BatchRecord> earlier = ledger.findBatchesByFile(sha);
			Optional<BatchRecord> live = earlier.stream().filter(b -> !"REFUSED".equals(b.state())).findFirst();
			if (live.isEmpty()) {
				if (!earlier.isEmpty()) {
					log.info("this file was refused before as batch {}; checking it again as a new batch",
							earlier.get(0).batchId());
				}
				return start(file, providerName, inspected, options.controls(), null);
			}
			BatchRecord batch = live.get();
			if (!batch.provider().equals(providerName)) {
				return new Result(ExitCode.REFUSED, "this file was already run for provider " + batch.provider()
						+ " as batch " + batch.batchId() + "; it cannot be sent to " + providerName);
			}
			JobExecution last = lastExecution(RefundJobConfiguration.JOB_NAME,
					firstRun(batch.batchId(), Path.of(batch.filePath()), batch.provider()));
			boolean finished = last != null
					&& (last.getStatus() == BatchStatus.COMPLETED || last.getStatus() == BatchStatus.ABANDONED);
			if (finished && options.allowReprocess()) {
				log.info("this file was already processed as batch {}; processing it again as a new batch "
						+ "(--allow-reprocess): request_ids already used are REJECTED as duplicates", batch.batchId());
				return start(file, providerName, inspected, options.controls(), batch.batchId());
			}
			if (finished) {
				return resume(batch, DecisionEvent.Kind.RESUME);
			}
			BatchControls started = ledger.controls(batch.batchId());
			if (!options.controls().isEmpty() && !options.controls().sameAs(started)) {
				return new Result(ExitCode.REFUSED, "this file is batch " + batch.batchId() + ", not finished, "
						+ "started with " + started.describe() + "; a batch keeps the control totals it started "
						+ "with: run `restart " + batch.batchId() + "`. Nothing was sent.");
			}
			if (options.allowReprocess()) {
				log.info("batch {} of this file is not finished: resuming it (--allow-reprocess applies to a "
						+ "finished batch only)", batch.batchId());
			}
			return resume(batch, DecisionEvent.Kind.RESUME);
		});
	}

	private Result start(Path file, String providerName, InputFiles.Inspected inspected, BatchControls controls,
			Long reprocessOf) {
		if (inspected.wrongProvider().isPresent()) {
			return new Result(ExitCode.REFUSED, inspected.wrongProvider().get());
		}
		long batchId = ledger.createBatch(providerName, file.getFileName().toString(), file.toAbsolutePath().toString(),
				inspected.inspection().sha256(), controls, reprocessOf);
		log.info("batch {}: {} for {}{}", batchId, file.getFileName(), providerName,
				controls.isEmpty() ? "" : " with " + controls.describe());
		return launch(batchId, refundJob, firstRun(batchId, file, providerName));
	}

	/** {@code restart [BATCH]}: resumes a failed, stopped or killed batch at its failed chunk. */
	public Result restart(Long batchIdOrNull) {
		return withBatch(batchIdOrNull, batch -> resume(batch, DecisionEvent.Kind.RESTART));
	}

	/**
	 * {@code rerun-failed BATCH}: a new, recorded execution that sends again the rows that ended RETRYABLE, and the
	 * UNKNOWN ones that reconciliation proves were not applied. DECLINED and REJECTED rows are never resent.
	 */
	public Result rerunFailed(long batchId, java.io.PrintWriter out) {
		return withBatch(batchId, batch -> {
			JobExecution first = lastExecution(RefundJobConfiguration.JOB_NAME, firstRun(batch.batchId(),
					Path.of(batch.filePath()), batch.provider()));
			if (first == null || first.getStatus() != BatchStatus.COMPLETED) {
				return new Result(ExitCode.REFUSED, "batch " + batch.batchId() + " has not completed its first run; "
						+ "use `restart " + batch.batchId() + "` to resume it");
			}
			JobExecution previousRerun = lastRerun(batch.batchId());
			if (previousRerun != null && previousRerun.getStatus() != BatchStatus.COMPLETED) {
				out.printf("batch %d: resuming re-run %d (%s) at its failed chunk%n", batch.batchId(),
						previousRerun.getJobParameters().getLong("rerun"), previousRerun.getStatus());
				events.record(DecisionEvent.Kind.RERUN_FAILED, batch.batchId(), "resumes its unfinished re-run");
				return restartExecution(batch.batchId(), previousRerun);
			}
			Map<RowStatus, Integer> rows = rowCounts(batch.batchId());
			int retryable = rows.getOrDefault(RowStatus.RETRYABLE, 0);
			int unknown = rows.getOrDefault(RowStatus.UNKNOWN, 0) + rows.getOrDefault(RowStatus.SENDING, 0);
			if (retryable + unknown == 0) {
				return new Result(exitCodeFor(rows), "batch " + batch.batchId()
						+ ": no RETRYABLE or UNKNOWN rows; nothing to re-run\n" + report.summary(batch.batchId()));
			}
			out.printf("batch %d: will send again %d RETRYABLE row(s); will first ask %s about %d UNKNOWN row(s) "
					+ "and send again only those it proves were not applied. DECLINED and REJECTED rows are left "
					+ "alone.%n", batch.batchId(), retryable, batch.provider(), unknown);
			out.flush();
			long number = previousRerun == null ? 1 : previousRerun.getJobParameters().getLong("rerun") + 1;
			events.record(DecisionEvent.Kind.RERUN_FAILED, batch.batchId(), "re-run " + number + ": " + retryable
					+ " RETRYABLE row(s), " + unknown + " UNKNOWN/SENDING row(s) asked about first");
			JobParameters parameters = new JobParametersBuilder(firstRun(batch.batchId(), Path.of(batch.filePath()),
					batch.provider()))
				.addLong("rerun", number)
				.addString("statuses", RefundJobConfiguration.RERUN_STATUSES, false)
				.toJobParameters();
			return launch(batch.batchId(), rerunJob, parameters);
		});
	}

	private Result withBatch(Long batchIdOrNull, Function<BatchRecord, Result> work) {
		Optional<BatchRecord> found = batchIdOrNull == null ? ledger.latestBatch() : ledger.findBatch(batchIdOrNull);
		if (found.isEmpty()) {
			return new Result(ExitCode.USAGE, batchIdOrNull == null ? "there is no batch yet"
					: "there is no batch " + batchIdOrNull);
		}
		BatchRecord batch = found.get();
		providers.get(batch.provider()).checkConfiguration();
		return locked(batch.fileSha256(), "batch " + batch.batchId(), () -> work.apply(batch));
	}

	private Result locked(String sha, String what, java.util.function.Supplier<Result> work) {
		Optional<BatchLocks.Held> lock = locks.tryLock(sha);
		if (lock.isEmpty()) {
			return new Result(ExitCode.BUSY, what + " is being run by another process; nothing was done");
		}
		try (BatchLocks.Held held = lock.get()) {
			return work.get();
		}
	}

	/** Called with the batch lock held: no other live process owns this batch. Records {@code how} if it resumes. */
	private Result resume(BatchRecord batch, DecisionEvent.Kind how) {
		if ("REFUSED".equals(batch.state())) {
			return new Result(ExitCode.REFUSED, "batch " + batch.batchId() + " was refused and will never be sent: "
					+ batch.refusal() + ". Fix the file and run the corrected file.");
		}
		JobParameters parameters = firstRun(batch.batchId(), Path.of(batch.filePath()), batch.provider());
		JobExecution last = lastExecution(RefundJobConfiguration.JOB_NAME, parameters);
		if (last == null) {
			// The batch was created but the process died before the job started.
			events.record(how, batch.batchId(), "starts its job (the process that created the batch died first)");
			return launch(batch.batchId(), refundJob, parameters);
		}
		if (last.getStatus() == BatchStatus.COMPLETED) {
			return new Result(ExitCode.REFUSED, "this file was already processed as batch " + batch.batchId()
					+ " (completed " + last.getEndTime() + "); see `status " + batch.batchId()
					+ "`; rows that failed are re-sent with `rerun-failed " + batch.batchId() + "`. Nothing was sent. "
					+ "To process the same file again as a new batch, add --allow-reprocess: request_ids it already "
					+ "used are then REJECTED as duplicates.");
		}
		if (last.getStatus() == BatchStatus.ABANDONED) {
			return new Result(ExitCode.REFUSED, "batch " + batch.batchId() + " was abandoned by an operator");
		}
		events.record(how, batch.batchId(), "resumes execution " + last.getId() + " (" + last.getStatus() + ")");
		return restartExecution(batch.batchId(), last);
	}

	private Result restartExecution(long batchId, JobExecution last) {
		if (last.getStatus().isRunning()) {
			// We hold the batch lock, so the process that owned this execution is gone (killed, crashed).
			log.warn("batch {}: execution {} was left {} by a process that is gone; recovering it", batchId,
					last.getId(), last.getStatus());
			last = jobOperator.recover(last);
		}
		log.info("batch {}: restarting execution {} ({}) at its failed chunk", batchId, last.getId(),
				last.getStatus());
		JobExecution restarted;
		try {
			StopRequest.onRequest(() -> stopRunning(batchId));
			restarted = jobOperator.restart(last);
		}
		catch (org.springframework.batch.core.launch.JobRestartException ex) {
			return new Result(ExitCode.REFUSED, "batch " + batchId + " cannot be restarted: " + ex.getMessage());
		}
		return finish(batchId, restarted);
	}

	private Result launch(long batchId, Job job, JobParameters parameters) {
		try {
			UnstartedInstance.dropIfAny(jobRepository, job.getName(), parameters);
			StopRequest.onRequest(() -> stopRunning(batchId));
			return finish(batchId, jobOperator.start(job, parameters));
		}
		catch (org.springframework.batch.core.launch.JobExecutionAlreadyRunningException
				| org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException
				| org.springframework.batch.core.launch.JobRestartException
				| org.springframework.batch.core.job.parameters.InvalidJobParametersException ex) {
			// Guarded against above (the batch lock, the execution's status): reaching here is a bug.
			throw new IllegalStateException("batch " + batchId + ": " + ex.getMessage(), ex);
		}
	}

	/** Asks the running execution of this batch to stop at its next chunk boundary. */
	private void stopRunning(long batchId) {
		for (String jobName : List.of(RefundJobConfiguration.JOB_NAME, RefundJobConfiguration.RERUN_JOB_NAME)) {
			for (JobExecution execution : jobRepository.findRunningJobExecutions(jobName)) {
				if (Long.valueOf(batchId).equals(execution.getJobParameters().getLong("batchId"))) {
					try {
						jobOperator.stop(execution);
					}
					catch (org.springframework.batch.core.launch.JobExecutionNotRunningException ex) {
						// it ended meanwhile
					}
				}
			}
		}
	}

	private Result finish(long batchId, JobExecution execution) {
		BatchStatus status = execution.getStatus();
		String metrics = runMetrics.endOfRun(batchId, execution);
		if (status == BatchStatus.COMPLETED) {
			return new Result(exitCodeFor(rowCounts(batchId)), report.summary(batchId) + metrics);
		}
		if (RefusalListener.refusalOf(execution) != null) {
			return new Result(ExitCode.REFUSED, "file refused, nothing was sent (batch " + batchId + "): "
					+ RefusalListener.refusalOf(execution).getMessage() + report.refusalDetails(batchId));
		}
		if (dualControl.isWaiting(batchId)) {
			return dualControl.waiting(batchId).orElseThrow();
		}
		for (Throwable failure : execution.getAllFailureExceptions()) {
			ConfigurationException config = ExceptionUtils.throwableOfType(failure, ConfigurationException.class);
			if (config != null) {
				return new Result(ExitCode.CONFIGURATION_ERROR, config.getMessage()
						+ ". Nothing more was sent; fix the configuration, then run `restart " + batchId + "`.");
			}
		}
		String why = status == BatchStatus.STOPPED ? StopRequest.reason()
				: execution.getAllFailureExceptions()
					.stream()
					.map(failure -> failure.getCause() != null ? failure.getCause().getMessage() : failure.getMessage())
					.findFirst()
					.orElse(execution.getExitStatus().getExitDescription());
		return new Result(ExitCode.FAILED_RESTARTABLE, "batch " + batchId + " " + status + ": " + why
				+ ". Run `restart " + batchId + "` (or the same file again) to resume at the failed chunk.\n"
				+ report.summary(batchId) + metrics);
	}

	private Map<RowStatus, Integer> rowCounts(long batchId) {
		return ledger.totals(batchId)
			.stream()
			.collect(Collectors.groupingBy(StatusTotal::status, Collectors.summingInt(StatusTotal::rows)));
	}

	/**
	 * A batch's exit code from its rows: READY rows left mean it is not completed (restart it); then unsettled rows
	 * (RETRYABLE, UNKNOWN, SENDING) outrank rows needing a person (REJECTED, DECLINED, DISCREPANCY). PENDING rows
	 * need nobody: reconcile follows them.
	 */
	static ExitCode exitCodeFor(Map<RowStatus, Integer> rows) {
		if (rows.getOrDefault(RowStatus.READY, 0) > 0) {
			return ExitCode.FAILED_RESTARTABLE;
		}
		boolean unsettled = EnumSet.of(RowStatus.RETRYABLE, RowStatus.UNKNOWN, RowStatus.SENDING)
			.stream()
			.anyMatch(s -> rows.getOrDefault(s, 0) > 0);
		boolean rejected = RowStatus.NEEDS_A_PERSON.stream().anyMatch(s -> rows.getOrDefault(s, 0) > 0);
		return unsettled ? ExitCode.COMPLETED_UNSETTLED
				: rejected ? ExitCode.COMPLETED_WITH_REJECTIONS : ExitCode.COMPLETED;
	}

	private JobExecution lastExecution(String jobName, JobParameters parameters) {
		JobInstance instance = jobRepository.getJobInstance(jobName, parameters);
		return instance == null ? null : jobRepository.getLastJobExecution(instance);
	}

	private JobExecution lastRerun(long batchId) {
		JobExecution latest = null;
		for (JobInstance instance : jobRepository.findJobInstances(RefundJobConfiguration.RERUN_JOB_NAME)) {
			JobExecution execution = jobRepository.getLastJobExecution(instance);
			if (execution != null && Long.valueOf(batchId).equals(execution.getJobParameters().getLong("batchId"))
					&& (latest == null || execution.getJobParameters().getLong("rerun") > latest.getJobParameters()
						.getLong("rerun"))) {
				latest = execution;
			}
		}
		return latest;
	}

	static JobParameters firstRun(long batchId, Path file, String provider) {
		return new JobParametersBuilder().addLong("batchId", batchId)
			.addString("file", file.toAbsolutePath().toString(), false)
			.addString("provider", provider, false)
			.addString("statuses", RefundJobConfiguration.FIRST_RUN_STATUSES, false)
			.toJobParameters();
	}

}
