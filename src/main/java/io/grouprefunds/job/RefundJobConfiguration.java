package io.grouprefunds.job;

import io.grouprefunds.reconcile.BatchPreflight;
import io.grouprefunds.reconcile.BatchReconciliation;
import io.grouprefunds.report.BatchReport;
import io.grouprefunds.report.ResultFileListener;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.grouprefunds.ingest.FileGate;
import io.grouprefunds.ingest.IngestProperties;
import io.grouprefunds.ingest.RefundCsvReader;
import io.grouprefunds.ingest.RefundRowValidator;
import io.grouprefunds.ingest.ValidatedRows;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.LedgerEntry;
import io.grouprefunds.ledger.LedgerIngest;
import io.grouprefunds.ledger.LedgerRow;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.provider.RefundProviders;
import io.grouprefunds.submit.Submission;
import io.grouprefunds.submit.Submissions;
import io.grouprefunds.submit.StopTimeListener;
import io.grouprefunds.submit.SubmitProgress;
import io.grouprefunds.submit.SubmitProperties;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The refund job: {@code ingestStep} (CSV → ledger rows, validated) → {@code gateStep} (the file as a whole; a
 * refused file moves no money) → {@code approvalStep} (dual control: a batch above a threshold waits for another
 * login's approval) → {@code preflightStep} (when switched on: rows the provider's groups cannot take are
 * REJECTED) → {@code submitStep} (ledger rows → provider → outcomes) → {@code reconcileStep} → {@code reportStep}.
 *
 * <p>Job parameters: {@code batchId} (identifying: a relaunch of the same batch restarts its failed execution),
 * {@code file}, {@code provider} and {@code statuses} (the rows the submit step reads). The rerun job adds an
 * identifying {@code rerun} number, so each operator re-run is an execution of its own.
 */
@Configuration(proxyBeanMethods = false)
public class RefundJobConfiguration {

	public static final String JOB_NAME = "refundJob";

	public static final String RERUN_JOB_NAME = "rerunJob";

	/** Rows the first submission of a batch reads: everything not final. */
	static final String FIRST_RUN_STATUSES = "READY,RETRYABLE,SENDING,UNKNOWN";

	/** Rows an operator's re-run reads: READY and final rows are left alone. */
	static final String RERUN_STATUSES = "RETRYABLE,SENDING,UNKNOWN";

	@Bean
	Job refundJob(JobRepository jobRepository, Step ingestStep, Step gateStep, Step approvalStep, Step preflightStep,
			Step submitStep, Step reconcileStep, Step reportStep, RefusalListener refusalListener,
			ResultFileListener resultFile, StopTimeListener stopTime) {
		return new JobBuilder(JOB_NAME, jobRepository).listener(refusalListener)
			.listener(resultFile)
			.listener(stopTime)
			.start(ingestStep)
			.next(gateStep)
			.next(approvalStep)
			.next(preflightStep)
			.next(submitStep)
			.next(reconcileStep)
			.next(reportStep)
			.build();
	}

	/** {@code rerun-failed}: a new execution of the submit and report steps over the rows that did not succeed. */
	@Bean
	Job rerunJob(JobRepository jobRepository, Step submitStep, Step reconcileStep, Step reportStep,
			ResultFileListener resultFile, StopTimeListener stopTime) {
		return new JobBuilder(RERUN_JOB_NAME, jobRepository).listener(resultFile)
			.listener(stopTime)
			.start(submitStep)
			.next(reconcileStep)
			.next(reportStep)
			.build();
	}

	// ---- ingest: where a row is read and validated

	@Bean
	Step ingestStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ItemStreamReader<List<LedgerEntry>> ingestReader, ItemWriter<List<LedgerEntry>> ingestWriter,
			RestoredContextSaver restoredContext) {
		// One item is one chunk of refunds.ingest.chunk-size rows, read and validated a chunk ahead on a thread of
		// its own (ValidatedRows), and recorded with one duplicate check and one COPY: Spring Batch's per-item
		// bookkeeping, a transaction and the step's own updates, once per chunk.
		return new StepBuilder("ingestStep", jobRepository).<List<LedgerEntry>, List<LedgerEntry>>chunk(1)
			.transactionManager(transactionManager)
			.reader(ingestReader)
			.writer(ingestWriter)
			.listener(restoredContext)
			.build();
	}

	/**
	 * The file as the batch was started with it, validated, a chunk of rows at a time: the CSV reader refuses a file
	 * whose contents changed since, and records the header as written for the rejected-rows report.
	 */
	@Bean
	@StepScope
	ItemStreamReader<List<LedgerEntry>> ingestReader(@Value("#{jobParameters['file']}") String file,
			@Value("#{jobParameters['batchId']}") Long batchId,
			@Value("#{jobParameters['provider']}") String provider, Ledger ledger, InputFiles inputFiles,
			RefundProviders providers, IngestProperties limits) {
		String sha256 = ledger.findBatch(batchId).orElseThrow().fileSha256();
		RefundCsvReader csv = inputFiles.reader(Path.of(file), sha256, header -> ledger.recordHeader(batchId, header));
		return new ValidatedRows(csv, new RefundRowValidator(provider, providers.get(provider).rowRules(), limits),
				limits.chunkSize())
			.chunks(limits.chunkSize());
	}

	/** Records each chunk; the step's read and write counts stay in rows (its items are chunks). */
	@Bean
	@StepScope
	ItemWriter<List<LedgerEntry>> ingestWriter(@Value("#{jobParameters['batchId']}") Long batchId,
			@Value("#{jobParameters['provider']}") String provider, LedgerIngest ledgerIngest) {
		return chunk -> {
			long rows = 0;
			for (List<LedgerEntry> entries : chunk) {
				ledgerIngest.insertEntries(batchId, provider, entries);
				rows += entries.size();
			}
			StepExecution step = StepSynchronizationManager.getContext().getStepExecution();
			step.setReadCount(step.getReadCount() + rows - chunk.size());
			step.setWriteCount(step.getWriteCount() + rows - chunk.size());
		};
	}

	// ---- gate: the whole file is in the ledger; nothing has been sent yet

	/**
	 * The file as a whole, now that every row is recorded: it has data rows, and the control totals the batch was
	 * started with hold (see {@link FileGate}). A refusal here moves no money: the batch is closed by the
	 * {@link RefusalListener}.
	 */
	@Bean
	Step gateStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, Ledger ledger) {
		return new StepBuilder("gateStep", jobRepository).tasklet((contribution, context) -> {
			long batchId = context.getStepContext().getStepExecution().getJobParameters().getLong("batchId");
			FileGate.check(ledger.controls(batchId), ledger.totals(batchId));
			ledger.markBatchReady(batchId);
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
	}

	// ---- dual control: above refunds.approval.above.<CCY>, nothing is sent until another login approves

	/**
	 * A batch above an approval threshold and not approved stops here (STOPPED, exit 9) before anything is sent; the
	 * next run of the file, or {@code restart}, restarts at this step and checks again (see {@link DualControl}).
	 */
	@Bean
	Step approvalStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			DualControl dualControl) {
		return new StepBuilder("approvalStep", jobRepository).tasklet((contribution, context) -> {
			dualControl.check(context.getStepContext().getStepExecution().getJobParameters().getLong("batchId"));
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
	}

	// ---- preflight (refunds.<provider>.preflight=true): rows that cannot succeed are REJECTED before any is sent

	@Bean
	Step preflightStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			BatchPreflight batchPreflight) {
		return new StepBuilder("preflightStep", jobRepository).tasklet((contribution, context) -> {
			JobParameters parameters = context.getStepContext().getStepExecution().getJobParameters();
			batchPreflight.preflightBatch(parameters.getLong("batchId"), parameters.getString("provider"));
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
	}

	// ---- submit: where a row is claimed, signed, sent and recorded

	@Bean
	Step submitStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ItemStreamReader<LedgerRow> submitReader, ItemStreamWriter<LedgerRow> submitWriter,
			SubmitProperties properties, RestoredContextSaver restoredContext, SubmitProgress submitProgress) {
		return new StepBuilder("submitStep", jobRepository).<LedgerRow, LedgerRow>chunk(properties.chunkSize())
			.transactionManager(transactionManager)
			.reader(submitReader)
			.writer(submitWriter)
			.listener(restoredContext)
			.listener(submitProgress)
			.build();
	}

	/**
	 * The batch's rows that are not final, in line order, paged by line number. Its restart state is the last line
	 * of the last chunk whose outcomes are all recorded, so a restart begins at the failed chunk (or the one before,
	 * if that one still had requests in flight) and never earlier.
	 */
	@Bean
	@StepScope
	ItemStreamReader<LedgerRow> submitReader(@Value("#{jobParameters['batchId']}") Long batchId,
			@Value("#{jobParameters['statuses']}") String statuses, DataSource dataSource,
			SubmitProperties properties, Submission submission) throws Exception {
		String statusList = Arrays.stream(statuses.split(","))
			.map(name -> "'" + RowStatus.valueOf(name.strip()).name() + "'")
			.collect(Collectors.joining(", "));
		return submission.reader(new JdbcPagingItemReaderBuilder<LedgerRow>().name("submitReader")
			.dataSource(dataSource)
			.selectClause(Ledger.ROW_COLUMNS)
			.fromClause("refund_row")
			.whereClause("batch_id = :batchId AND status IN (" + statusList + ")")
			.parameterValues(Map.of("batchId", batchId))
			.sortKeys(Map.of("line_number", Order.ASCENDING))
			.pageSize(properties.chunkSize())
			.rowMapper(Ledger.ROW_MAPPER)
			.build());
	}

	/** One send pipeline per submit step execution, shared by its reader and writer; closed when the step ends. */
	@Bean
	@StepScope
	Submission submission(@Value("#{jobParameters['provider']}") String providerName,
			@Value("#{stepExecution.jobExecutionId}") Long jobExecutionId, Submissions submissions) {
		return submissions.open(providerName, jobExecutionId);
	}

	/** Claims each chunk and hands it to the send pipeline, across chunk boundaries, through the account's throttle. */
	@Bean
	@StepScope
	ItemStreamWriter<LedgerRow> submitWriter(Submission submission) {
		return submission.writer();
	}

	// ---- reconcile: rows left UNKNOWN by this submission are settled by asking the provider

	@Bean
	Step reconcileStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			BatchReconciliation batchReconciliation) {
		return new StepBuilder("reconcileStep", jobRepository).tasklet((contribution, context) -> {
			long batchId = context.getStepContext().getStepExecution().getJobParameters().getLong("batchId");
			batchReconciliation.reconcileBatch(batchId,
					context.getStepContext().getStepExecution().getJobExecutionId());
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
	}

	// ---- report

	@Bean
	Step reportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			BatchReport batchReport) {
		return new StepBuilder("reportStep", jobRepository).tasklet((contribution, context) -> {
			long batchId = context.getStepContext().getStepExecution().getJobParameters().getLong("batchId");
			batchReport.writeResultFile(batchId);
			batchReport.writeRejectedFile(batchId);
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
	}

}
