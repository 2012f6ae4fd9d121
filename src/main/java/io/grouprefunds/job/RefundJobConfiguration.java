package io.grouprefunds.job;

import io.grouprefunds.reconcile.BatchReconciliation;
import io.grouprefunds.report.BatchReport;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.grouprefunds.ingest.CsvRecord;
import io.grouprefunds.ingest.FileGate;
import io.grouprefunds.ingest.IngestProperties;
import io.grouprefunds.ingest.RefundCsvReader;
import io.grouprefunds.ingest.RefundRowValidator;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.LedgerEntry;
import io.grouprefunds.ledger.LedgerIngest;
import io.grouprefunds.ledger.LedgerRow;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.provider.RefundProviders;
import io.grouprefunds.submit.CircuitBreaker;
import io.grouprefunds.submit.RecordedPositionReader;
import io.grouprefunds.reconcile.Reconciliation;
import io.grouprefunds.throttle.Throttles;
import io.grouprefunds.submit.SubmitMetrics;
import io.grouprefunds.submit.SubmitPipeline;
import io.grouprefunds.submit.SubmitProgress;
import io.grouprefunds.submit.SubmitProperties;
import io.grouprefunds.submit.SubmitWriter;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
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
 * refused file moves no money) → {@code submitStep} (ledger rows → provider → outcomes) → {@code reportStep}.
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
	Job refundJob(JobRepository jobRepository, Step ingestStep, Step gateStep, Step submitStep, Step reconcileStep,
			Step reportStep, RefusalListener refusalListener) {
		return new JobBuilder(JOB_NAME, jobRepository).listener(refusalListener)
			.start(ingestStep)
			.next(gateStep)
			.next(submitStep)
			.next(reconcileStep)
			.next(reportStep)
			.build();
	}

	/** {@code rerun-failed}: a new execution of the submit and report steps over the rows that did not succeed. */
	@Bean
	Job rerunJob(JobRepository jobRepository, Step submitStep, Step reconcileStep, Step reportStep) {
		return new JobBuilder(RERUN_JOB_NAME, jobRepository).start(submitStep)
			.next(reconcileStep)
			.next(reportStep)
			.build();
	}

	// ---- ingest: where a row is read and validated

	@Bean
	Step ingestStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ItemStreamReader<CsvRecord> ingestReader, RefundRowValidator ingestValidator,
			ItemWriter<LedgerEntry> ingestWriter, IngestProperties limits, RestoredContextSaver restoredContext) {
		// Large chunks: each costs a transaction, a duplicate check, a COPY and the step's own bookkeeping.
		return new StepBuilder("ingestStep", jobRepository).<CsvRecord, LedgerEntry>chunk(limits.chunkSize())
			.transactionManager(transactionManager)
			.reader(ingestReader)
			.processor(ingestValidator)
			.writer(ingestWriter)
			.listener(restoredContext)
			.build();
	}

	/**
	 * The file as the batch was started with it: the reader refuses a file whose contents changed since, and records
	 * the header as written for the rejected-rows report.
	 */
	@Bean
	@StepScope
	RefundCsvReader ingestReader(@Value("#{jobParameters['file']}") String file,
			@Value("#{jobParameters['batchId']}") Long batchId, Ledger ledger, IngestProperties limits) {
		String sha256 = ledger.findBatch(batchId).orElseThrow().fileSha256();
		return new RefundCsvReader(Path.of(file), limits, sha256, header -> ledger.recordHeader(batchId, header));
	}

	@Bean
	@StepScope
	RefundRowValidator ingestValidator(@Value("#{jobParameters['provider']}") String provider,
			RefundProviders providers, IngestProperties limits) {
		return new RefundRowValidator(provider, providers.get(provider).rowRules(), limits);
	}

	@Bean
	@StepScope
	ItemWriter<LedgerEntry> ingestWriter(@Value("#{jobParameters['batchId']}") Long batchId,
			@Value("#{jobParameters['provider']}") String provider, LedgerIngest ledgerIngest) {
		return chunk -> ledgerIngest.insertEntries(batchId, provider, chunk.getItems().stream().map(e -> (LedgerEntry) e).toList());
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

	// ---- submit: where a row is claimed, signed, sent and recorded

	@Bean
	Step submitStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ItemStreamReader<LedgerRow> submitReader, SubmitWriter submitWriter, SubmitProperties properties,
			RestoredContextSaver restoredContext, SubmitProgress submitProgress) {
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
	 * of the last chunk whose outcomes are all recorded ({@link RecordedPositionReader}), so a restart begins at the
	 * failed chunk (or the one before, if that one still had requests in flight) and never earlier.
	 */
	@Bean
	@StepScope
	ItemStreamReader<LedgerRow> submitReader(@Value("#{jobParameters['batchId']}") Long batchId,
			@Value("#{jobParameters['statuses']}") String statuses, DataSource dataSource,
			SubmitProperties properties, SubmitPipeline submitPipeline) throws Exception {
		String statusList = Arrays.stream(statuses.split(","))
			.map(name -> "'" + RowStatus.valueOf(name.strip()).name() + "'")
			.collect(Collectors.joining(", "));
		return new RecordedPositionReader(new JdbcPagingItemReaderBuilder<LedgerRow>().name("submitReader")
			.dataSource(dataSource)
			.selectClause(Ledger.ROW_COLUMNS)
			.fromClause("refund_row")
			.whereClause("batch_id = :batchId AND status IN (" + statusList + ")")
			.parameterValues(Map.of("batchId", batchId))
			.sortKeys(Map.of("line_number", Order.ASCENDING))
			.pageSize(properties.chunkSize())
			.rowMapper(Ledger.ROW_MAPPER)
			.build(), submitPipeline);
	}

	/** Sends the claimed rows of one submit step execution, across chunk boundaries, through the account's throttle. */
	@Bean
	@StepScope
	SubmitPipeline submitPipeline(@Value("#{jobParameters['provider']}") String providerName,
			RefundProviders providers, Ledger ledger, Throttles throttles, SubmitProperties properties,
			CircuitBreaker.Settings breaker, SubmitMetrics metrics) {
		RefundProvider provider = providers.get(providerName);
		return new SubmitPipeline(ledger, provider, throttles.forProvider(providerName),
				new Reconciliation(ledger, throttles.forProvider(providerName)), properties,
				throttles.limits(providerName), breaker, metrics);
	}

	@Bean
	@StepScope
	SubmitWriter submitWriter(@Value("#{jobParameters['provider']}") String providerName, RefundProviders providers,
			Ledger ledger, Throttles throttles, SubmitPipeline submitPipeline, SubmitMetrics metrics) {
		RefundProvider provider = providers.get(providerName);
		return new SubmitWriter(ledger, provider, new Reconciliation(ledger, throttles.forProvider(providerName)),
				submitPipeline, metrics);
	}

	// ---- reconcile: rows left UNKNOWN by this submission are settled by asking the provider

	@Bean
	Step reconcileStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			BatchReconciliation batchReconciliation) {
		return new StepBuilder("reconcileStep", jobRepository).tasklet((contribution, context) -> {
			long batchId = context.getStepContext().getStepExecution().getJobParameters().getLong("batchId");
			batchReconciliation.reconcileBatch(batchId);
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
