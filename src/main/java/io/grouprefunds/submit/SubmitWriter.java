package io.grouprefunds.submit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.Ledger.RecordedOutcome;
import io.grouprefunds.ledger.LedgerRow;
import io.grouprefunds.ledger.RowStatus;
import io.grouprefunds.provider.ProviderConfigurationException;
import io.grouprefunds.provider.RefundInstruction;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.provider.SubmitOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * The submit step's writer: where refunds are claimed, sent and recorded, one chunk at a time.
 *
 * <ol>
 * <li>re-read the chunk's rows (after a restart they may have moved on);</li>
 * <li>rows that may already have reached the provider (SENDING, UNKNOWN) are reconciled first, unless the account
 * enforces idempotency keys;</li>
 * <li>claim: the sendable rows become SENDING in one committed transaction, before any request leaves;</li>
 * <li>send: through the account's throttle, at most {@code maxInFlight} at once; 429 and refused connections are
 * retried here, the only retry layer;</li>
 * <li>record every outcome in one committed transaction; a configuration error then stops the job.</li>
 * </ol>
 */
public class SubmitWriter implements ItemWriter<LedgerRow> {

	private static final Logger log = LoggerFactory.getLogger(SubmitWriter.class);

	private final Ledger ledger;

	private final RefundProvider provider;

	private final Throttle throttle;

	private final Reconciliation reconciliation;

	private final SubmitProperties properties;

	public SubmitWriter(Ledger ledger, RefundProvider provider, Throttle throttle, Reconciliation reconciliation,
			SubmitProperties properties) {
		this.ledger = ledger;
		this.provider = provider;
		this.throttle = throttle;
		this.reconciliation = reconciliation;
		this.properties = properties;
	}

	@Override
	public void write(Chunk<? extends LedgerRow> chunk) throws JobInterruptedException {
		List<LedgerRow> rows = ledger.current(chunk.getItems().stream().map(LedgerRow::rowId).toList());
		List<LedgerRow> toSend = new ArrayList<>();
		for (LedgerRow row : rows) {
			if (RowStatus.SENDABLE.contains(row.status())) {
				toSend.add(row);
			}
			else if (RowStatus.MAYBE_SENT.contains(row.status())) {
				if (provider.idempotencyEnforced()) {
					toSend.add(row); // the provider answers a repeated key with the first answer
				}
				else if (reconciliation.reconcile(provider, row).status() == RowStatus.RETRYABLE) {
					toSend.add(row.withStatus(RowStatus.RETRYABLE));
				}
			}
		}
		if (toSend.isEmpty()) {
			return;
		}
		Set<Long> claimed = new HashSet<>(ledger.claim(toSend.stream().map(LedgerRow::rowId).toList()));
		List<LedgerRow> claimedRows = toSend.stream().filter(row -> claimed.contains(row.rowId())).toList();
		AtomicReference<SubmitOutcome> stop = new AtomicReference<>();
		List<Sent> results = Flux.fromIterable(claimedRows)
			.flatMap(row -> attempt(row, 1, stop), Math.max(1, properties.maxInFlight()))
			.collectList()
			.block();
		record(results);
		if (stop.get() != null) {
			throw new ProviderConfigurationException(stop.get().errorMessage());
		}
		if (StopRequest.isRequested()) {
			// Rolls the chunk back (its reader position is not saved) and ends the step STOPPED: a restart
			// begins at this chunk, where the rows sent are final and the rows not sent are READY again.
			throw new JobInterruptedException("stop requested; requests in flight were recorded");
		}
	}

	/** One try of one row; retries come back here, through the throttle, signed afresh. */
	private Mono<Sent> attempt(LedgerRow row, int tries, AtomicReference<SubmitOutcome> stop) {
		return Mono.delay(throttle.reserve()).then(Mono.defer(() -> {
			if (stop.get() != null || StopRequest.isRequested()) {
				return Mono.just(new Sent(row, null, tries - 1));
			}
			return provider.submit(instruction(row)).flatMap(outcome -> {
				if (outcome.retry() == SubmitOutcome.Retry.STOP_JOB) {
					stop.compareAndSet(null, outcome);
				}
				else if (outcome.retry() == SubmitOutcome.Retry.NOW && tries <= properties.maxRetries()) {
					Duration wait = backoff(tries, outcome.retryAfter());
					log.info("line {} request {}: {} not processed, trying again in {} ms", row.lineNumber(),
							row.requestId(), outcome.errorCode(), wait.toMillis());
					return Mono.delay(wait).then(attempt(row, tries + 1, stop));
				}
				return Mono.just(new Sent(row, outcome, tries));
			});
		}));
	}

	private void record(List<Sent> results) {
		List<RecordedOutcome> outcomes = new ArrayList<>();
		Map<Long, RowStatus> neverSent = new HashMap<>();
		for (Sent sent : results) {
			if (sent.outcome() == null && sent.tries() == 0) {
				RowStatus before = sent.row().status();
				neverSent.put(sent.row().rowId(), RowStatus.MAYBE_SENT.contains(before) ? RowStatus.UNKNOWN : before);
				continue;
			}
			SubmitOutcome outcome = sent.outcome() != null ? sent.outcome()
					: SubmitOutcome.of(RowStatus.RETRYABLE, null, null, null, "NOT_SENT", "job stopped before a retry");
			outcomes.add(new RecordedOutcome(sent.row().rowId(), outcome, Math.max(0, sent.tries() - 1)));
			logOutcome(sent.row(), outcome);
		}
		ledger.recordOutcomes(outcomes);
		if (!neverSent.isEmpty()) {
			ledger.release(neverSent);
		}
	}

	private void logOutcome(LedgerRow row, SubmitOutcome outcome) {
		if (outcome.status() == RowStatus.SUCCEEDED || outcome.status() == RowStatus.PENDING) {
			log.debug("line {} request {} group {}: {} operation {}", row.lineNumber(), row.requestId(),
					row.groupId(), outcome.status(), outcome.operationId());
		}
		else {
			log.warn("line {} request {} group {}: {} {} {} (HTTP {}, operation {})", row.lineNumber(),
					row.requestId(), row.groupId(), outcome.status(), outcome.errorCode(), outcome.errorMessage(),
					outcome.httpStatus(), outcome.operationId());
		}
	}

	private Duration backoff(int tries, Duration retryAfter) {
		if (retryAfter != null) {
			return retryAfter.compareTo(properties.maxBackoff()) > 0 ? properties.maxBackoff() : retryAfter;
		}
		long base = properties.initialBackoff().toMillis() << Math.min(tries - 1, 16);
		long capped = Math.min(base, properties.maxBackoff().toMillis());
		// Full jitter: spreads retries of rows that were refused together.
		return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
	}

	private static RefundInstruction instruction(LedgerRow row) {
		return RefundInstruction.of(row.rowId(), row.requestId(), row.groupId(), row.amount(), row.currency(),
				row.idempotencyKey());
	}

	/** A claimed row and its last outcome; {@code outcome} null when the job stopped before it was sent. */
	private record Sent(LedgerRow row, SubmitOutcome outcome, int tries) {
	}

}
