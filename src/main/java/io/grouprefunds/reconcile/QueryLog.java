package io.grouprefunds.reconcile;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.grouprefunds.ledger.AttemptLog;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.core.scheduler.Schedulers;

/**
 * Reconciliation's queries in the attempt log: before a query about rows leaves, one QUERY attempt per row is
 * committed (one transaction for all of them); once it is answered (or fails), their answers. A group query (Rapyd's
 * group retrieve, the issuer's group details) is recorded for every row it is asked for: the rows whose status its
 * answer may settle. The preflight's group reads are not recorded (see the README: they precede any refund and change
 * nothing at the provider; what they found is each rejected row's {@code rejection}).
 */
public final class QueryLog {

	private final AttemptLog attemptLog;

	private final Long jobExecutionId;

	public QueryLog(AttemptLog attemptLog, Long jobExecutionId) {
		this.attemptLog = attemptLog;
		this.jobExecutionId = jobExecutionId;
	}

	/**
	 * Asks the provider about rows, recorded: the QUERY attempts are committed first, then {@code slot} is waited for
	 * (breaker, throttle), then the query leaves.
	 * @param reference the provider's id the query names (a refund's id, the issuer's reqNo), or null
	 * @param found whether an answer names what was asked (else NOT_FOUND)
	 */
	public <T> Mono<T> ask(Collection<Long> rowIds, String reference, Mono<?> slot, Supplier<Mono<T>> query,
			Predicate<T> found) {
		AtomicReference<Instant> sent = new AtomicReference<>();
		return Mono.fromCallable(() -> attemptLog.queries(rowIds, jobExecutionId))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap(attempts -> slot.then(Mono.defer(() -> {
				sent.set(Instant.now());
				return query.get();
			}))
				.materialize()
				.flatMap(signal -> Mono.fromRunnable(() -> answer(attempts, sent.get(), reference, signal, found))
					.subscribeOn(Schedulers.boundedElastic())
					.thenReturn(signal))
				.<T>dematerialize());
	}

	/** {@link #ask} for a caller that waits, with a timeout. */
	public <T> T askAndWait(Collection<Long> rowIds, String reference, Mono<?> slot, Supplier<Mono<T>> query,
			Predicate<T> found) {
		return ask(rowIds, reference, slot, query, found).block(Reconciliation.QUERY_TIMEOUT);
	}

	private <T> void answer(List<AttemptLog.Attempt> attempts, Instant sentAt, String reference, Signal<T> signal,
			Predicate<T> found) {
		String outcome;
		String code = null;
		Instant answeredAt = null;
		if (sentAt == null) {
			outcome = AttemptLog.NOT_SENT;
		}
		else if (signal.isOnError()) {
			outcome = AttemptLog.FAILED;
			// the kind of failure only (a message may quote a URL): the cause's, under a wrapper
			Throwable error = signal.getThrowable();
			code = (error.getCause() != null ? error.getCause() : error).getClass().getSimpleName();
		}
		else {
			answeredAt = Instant.now();
			T value = signal.get();
			outcome = value != null && found.test(value) ? AttemptLog.ANSWERED : AttemptLog.NOT_FOUND;
		}
		String outcomeOf = outcome;
		String codeOf = code;
		Instant answered = answeredAt;
		attemptLog.answer(attempts.stream()
			.map(attempt -> new AttemptLog.Answer(attempt.attemptId(), sentAt, answered, null, outcomeOf, reference,
					codeOf))
			.toList());
	}

}
