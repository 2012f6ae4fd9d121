package io.grouprefunds.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.grouprefunds.ledger.BatchLocks;
import io.grouprefunds.ledger.BatchRecord;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.RowStatus;
import io.grouprefunds.ledger.StatusTotal;
import io.grouprefunds.provider.ProviderConfigurationException;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.provider.RefundProviders;
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
 * What {@code run} and {@code restart} do around the job: decide whether a file is new, a restart, or refused;
 * hold the batch lock for the whole run; launch or restart the job; turn its end into an exit code.
 */
@Component
public class BatchRunner {

	private static final Logger log = LoggerFactory.getLogger(BatchRunner.class);

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final Job refundJob;

	private final Ledger ledger;

	private final BatchLocks locks;

	private final RefundProviders providers;

	private final BatchReport report;

	BatchRunner(JobOperator jobOperator, JobRepository jobRepository, Job refundJob, Ledger ledger, BatchLocks locks,
			RefundProviders providers, BatchReport report) {
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.refundJob = refundJob;
		this.ledger = ledger;
		this.locks = locks;
		this.providers = providers;
		this.report = report;
	}

	/** The outcome of a command: its exit code, what to tell the operator, and the batch if there is one. */
	public record Result(ExitCode exitCode, String message, Long batchId) {
	}

	/** {@code run FILE --provider P}: a new file starts a batch; a file seen before restarts or is refused. */
	public Result run(Path file, String providerName) {
		RefundProvider provider = providers.get(providerName);
		provider.checkConfiguration();
		if (!Files.isRegularFile(file)) {
			return new Result(ExitCode.REFUSED, "no such file: " + file, null);
		}
		String sha = sha256(file);
		Optional<BatchLocks.Held> lock = locks.tryLock(sha);
		if (lock.isEmpty()) {
			return new Result(ExitCode.BUSY, "another process is running this file; nothing was done", null);
		}
		try (BatchLocks.Held held = lock.get()) {
			Optional<BatchRecord> existing = ledger.findBatchByFile(sha);
			if (existing.isEmpty()) {
				long batchId = ledger.createBatch(providerName, file.getFileName().toString(),
						file.toAbsolutePath().toString(), sha);
				log.info("batch {}: {} for {}", batchId, file.getFileName(), providerName);
				return finish(batchId, jobOperator.start(refundJob, parameters(batchId, file, providerName)));
			}
			BatchRecord batch = existing.get();
			if (!batch.provider().equals(providerName)) {
				return new Result(ExitCode.REFUSED, "this file was already run for provider " + batch.provider()
						+ " as batch " + batch.batchId() + "; it cannot be sent to " + providerName, batch.batchId());
			}
			return resume(batch, file);
		}
		catch (org.springframework.batch.core.launch.JobExecutionAlreadyRunningException
				| org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException
				| org.springframework.batch.core.launch.JobRestartException
				| org.springframework.batch.core.job.parameters.InvalidJobParametersException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
	}

	/** {@code restart [BATCH]}: resumes a failed or stopped batch at its failed chunk (default: the newest batch). */
	public Result restart(Long batchIdOrNull) {
		Optional<BatchRecord> found = batchIdOrNull == null ? ledger.latestBatch() : ledger.findBatch(batchIdOrNull);
		if (found.isEmpty()) {
			return new Result(ExitCode.REFUSED, batchIdOrNull == null ? "there is no batch to restart"
					: "there is no batch " + batchIdOrNull, batchIdOrNull);
		}
		BatchRecord batch = found.get();
		providers.get(batch.provider()).checkConfiguration();
		Optional<BatchLocks.Held> lock = locks.tryLock(batch.fileSha256());
		if (lock.isEmpty()) {
			return new Result(ExitCode.BUSY, "batch " + batch.batchId() + " is being run by another process",
					batch.batchId());
		}
		try (BatchLocks.Held held = lock.get()) {
			return resume(batch, Path.of(batch.filePath()));
		}
		catch (org.springframework.batch.core.launch.JobExecutionAlreadyRunningException
				| org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException
				| org.springframework.batch.core.launch.JobRestartException
				| org.springframework.batch.core.job.parameters.InvalidJobParametersException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
	}

	/** Called with the batch lock held: no other live process owns this batch. */
	private Result resume(BatchRecord batch, Path file) throws org.springframework.batch.core.launch.JobExecutionAlreadyRunningException,
			org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException,
			org.springframework.batch.core.launch.JobRestartException,
			org.springframework.batch.core.job.parameters.InvalidJobParametersException {
		if ("REFUSED".equals(batch.state())) {
			return new Result(ExitCode.REFUSED, "batch " + batch.batchId() + " was refused and will never be sent: "
					+ batch.refusal() + ". Fix the file and run the corrected file.", batch.batchId());
		}
		JobParameters parameters = parameters(batch.batchId(), file, batch.provider());
		JobInstance instance = jobRepository.getJobInstance(RefundJobConfiguration.JOB_NAME, parameters);
		JobExecution last = instance == null ? null : jobRepository.getLastJobExecution(instance);
		if (last == null) {
			// The batch was created but the process died before the job started.
			return finish(batch.batchId(), jobOperator.start(refundJob, parameters));
		}
		BatchStatus status = last.getStatus();
		if (status == BatchStatus.COMPLETED) {
			return new Result(ExitCode.REFUSED, "this file was already processed as batch " + batch.batchId()
					+ " (completed " + last.getEndTime() + "); see `status " + batch.batchId() + "`. Nothing was sent.",
					batch.batchId());
		}
		if (status == BatchStatus.ABANDONED) {
			return new Result(ExitCode.REFUSED, "batch " + batch.batchId() + " was abandoned by an operator",
					batch.batchId());
		}
		if (status.isRunning()) {
			// We hold the batch lock, so the process that owned this execution is gone (killed, crashed).
			log.warn("batch {}: execution {} was left {} by a process that is gone; recovering it", batch.batchId(),
					last.getId(), status);
			last = jobOperator.recover(last);
		}
		log.info("batch {}: restarting execution {} ({}) at its failed chunk", batch.batchId(), last.getId(),
				last.getStatus());
		return finish(batch.batchId(), jobOperator.restart(last));
	}

	private Result finish(long batchId, JobExecution execution) {
		BatchStatus status = execution.getStatus();
		if (status == BatchStatus.COMPLETED) {
			Map<RowStatus, Integer> rows = ledger.totals(batchId)
				.stream()
				.collect(Collectors.groupingBy(StatusTotal::status, Collectors.summingInt(StatusTotal::rows)));
			int unsettled = rows.getOrDefault(RowStatus.RETRYABLE, 0) + rows.getOrDefault(RowStatus.UNKNOWN, 0)
					+ rows.getOrDefault(RowStatus.SENDING, 0);
			int rejected = rows.getOrDefault(RowStatus.REJECTED, 0) + rows.getOrDefault(RowStatus.DECLINED, 0);
			ExitCode code = unsettled > 0 ? ExitCode.COMPLETED_UNSETTLED
					: rejected > 0 ? ExitCode.COMPLETED_WITH_REJECTIONS : ExitCode.COMPLETED;
			return new Result(code, report.summary(batchId), batchId);
		}
		if (RefusalListener.refusalOf(execution) != null) {
			return new Result(ExitCode.REFUSED, "file refused, nothing was sent: "
					+ RefusalListener.refusalOf(execution).getMessage(), batchId);
		}
		for (Throwable failure : execution.getAllFailureExceptions()) {
			for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
				if (cause instanceof ProviderConfigurationException config) {
					return new Result(ExitCode.CONFIGURATION_ERROR, config.getMessage()
							+ ". Nothing more was sent; fix the configuration, then run `restart " + batchId + "`.",
							batchId);
				}
			}
		}
		String why = execution.getAllFailureExceptions()
			.stream()
			.map(Throwable::getMessage)
			.findFirst()
			.orElse(execution.getExitStatus().getExitDescription());
		return new Result(ExitCode.FAILED_RESTARTABLE, "batch " + batchId + " " + status + ": " + why
				+ ". Run `restart " + batchId + "` (or the same file again) to resume at the failed chunk.", batchId);
	}

	static JobParameters parameters(long batchId, Path file, String provider) {
		return new JobParametersBuilder().addLong("batchId", batchId)
			.addString("file", file.toAbsolutePath().toString(), false)
			.addString("provider", provider, false)
			.toJobParameters();
	}

	static String sha256(Path file) {
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
			in.transferTo(java.io.OutputStream.nullOutputStream());
			return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + file, ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
