package io.grouprefunds.submit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import io.grouprefunds.domain.ConfigurationException;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.domain.SubmitOutcome;
import io.grouprefunds.ledger.AttemptLog;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.Ledger.RecordedOutcome;
import io.grouprefunds.ledger.LedgerRow;
import io.grouprefunds.provider.GroupState;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.reconcile.Reconciler;
import io.grouprefunds.reconcile.Reconciliation;
import io.grouprefunds.throttle.Throttle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * What to do with the provider's answer to one refund request, the only retry layer:
 * <ul>
 * <li>429: pause the whole account (Retry-After, else exponential backoff with jitter) and send again; not counted
 * against the row, until it has been refused for {@code maxRateLimitedWait};</li>
 * <li>not processed (connection refused): send again after a backoff, up to {@code maxRetries};</li>
 * <li>5xx (an answer: the provider is done with it): record UNKNOWN, wait for the provider to be up, ask it what it
 * did (reconciliation), and send again only if that proves it was not applied, within {@code maxRetries};</li>
 * <li>credentials or configuration refused: sending stops;</li>
 * <li>anything else is final for this run.</li>
 * </ul>
 * Every answer but a 429 is also a result for the circuit breaker.
 */
final class RetryPolicy {

	private static final Logger log = LoggerFactory.getLogger(RetryPolicy.class);

	private final Ledger ledger;

	private final RefundProvider provider;

	private final Throttle throttle;

	private final Reconciliation reconciliation;

	private final SubmitProperties properties;

	private final BreakerGate gate;

	private final SubmitMetrics metrics;

	private final SendStop stop;

	/** Ledger and reconciliation calls made from inside the pipeline (rare: 5xx answers). */
	private final Scheduler blocking;

	/** Sends the row again, from the start: breaker, slow start, throttle. */
	private final Function<ClaimedRow, Mono<RowResult>> sendAgain;

	private final Long jobExecutionId;

	RetryPolicy(Ledger ledger, RefundProvider provider, Throttle throttle, Reconciliation reconciliation,
			SubmitProperties properties, BreakerGate gate, SubmitMetrics metrics, SendStop stop, Scheduler blocking,
			Function<ClaimedRow, Mono<RowResult>> sendAgain, Long jobExecutionId) {
		this.jobExecutionId = jobExecutionId;
		this.ledger = ledger;
		this.provider = provider;
		this.throttle = throttle;
		this.reconciliation = reconciliation;
		this.properties = properties;
		this.gate = gate;
		this.metrics = metrics;
		this.stop = stop;
		this.blocking = blocking;
		this.sendAgain = sendAgain;
	}

	Mono<RowResult> answered(ClaimedRow p, SubmitOutcome outcome) {
		p.lastOutcome = outcome;
		boolean rateLimited = Integer.valueOf(429).equals(outcome.httpStatus());
		if (outcome.httpStatus() != null && !rateLimited) {
			throttle.answered();
		}
		if (outcome.retry() == SubmitOutcome.Retry.STOP_JOB) {
			stop.fail(new ConfigurationException(outcome.errorMessage()));
			return Mono.just(p.result());
		}
		if (outcome.retry() == SubmitOutcome.Retry.NOW && rateLimited) {
			return rateLimited(p, outcome);
		}
		p.rateLimitedSince = null;
		if (outcome.retry() == SubmitOutcome.Retry.NOW) {
			return notProcessed(p, outcome);
		}
		if (outcome.status() == RowStatus.UNKNOWN) {
			gate.result(true, p.row.groupId());
			boolean answeredServerError = outcome.httpStatus() != null && outcome.httpStatus() >= 500;
			if (answeredServerError && p.tries <= properties.maxRetries()) {
				return provider.idempotencyEnforced() ? resendWithSameKey(p) : settleThenRetry(p, outcome);
			}
			return Mono.just(p.result());
		}
		gate.result(false, p.row.groupId());
		return Mono.just(p.result());
	}

	/** The account is rate limited: everyone waits (in the throttle), this row tries again, uncounted. */
	private Mono<RowResult> rateLimited(ClaimedRow p, SubmitOutcome outcome) {
		Duration pause = throttle.rateLimited(outcome.retryAfter());
		long now = System.nanoTime();
		if (p.rateLimitedSince == null) {
			p.rateLimitedSince = now;
		}
		if (now - p.rateLimitedSince >= properties.maxRateLimitedWait().toNanos()) {
			return Mono.just(p.result());
		}
		log.debug("line {} request {}: rate limited (Retry-After {}), the account pauses {} ms", p.row.lineNumber(),
				p.row.requestId(), outcome.retryAfter(), pause.toMillis());
		p.uncounted = true;
		metrics.retry(provider.name(), "rate_limited");
		return sendAgain.apply(p);
	}

	/** No connection was made: not processed, and a sign the provider may be down. */
	private Mono<RowResult> notProcessed(ClaimedRow p, SubmitOutcome outcome) {
		gate.result(true, p.row.groupId());
		if (p.tries > properties.maxRetries()) {
			return Mono.just(p.result());
		}
		Duration wait = properties.backoff().delay(p.tries, ThreadLocalRandom.current().nextDouble());
		// Not on the console: the breaker tells an outage, the row's outcome a row that ran out of tries.
		log.debug("line {} request {}: {} not processed, trying again in {} ms", p.row.lineNumber(),
				p.row.requestId(), outcome.errorCode(), wait.toMillis());
		metrics.retry(provider.name(), "connect_failed");
		return Mono.delay(wait).then(sendAgain.apply(p));
	}

	/** The account deduplicates our idempotency key: the same request again returns the first answer. */
	private Mono<RowResult> resendWithSameKey(ClaimedRow p) {
		metrics.retry(provider.name(), "idempotent_resend");
		return gate.awaitClosed().then(sendAgain.apply(p)).onErrorResume(error -> Mono.just(p.result()));
	}

	/**
	 * A 5xx answer: the provider is done with the request, but did it apply it? Record UNKNOWN, wait until the
	 * provider answers again, ask it (reconciliation settles the row from its view of the group), and send again only
	 * when that proves the refund was not applied. Never a blind resend.
	 */
	private Mono<RowResult> settleThenRetry(ClaimedRow p, SubmitOutcome outcome) {
		LedgerRow unknown = p.row.withStatus(RowStatus.UNKNOWN);
		// The UNKNOWN outcome and the answers of the row's attempts so far, in one transaction.
		return Mono.fromRunnable(() -> ledger.recordChunk(List.of(new RecordedOutcome(p.row.rowId(), outcome)),
				Map.of(), p.takeAnswers()))
			.subscribeOn(blocking)
			.then(askAbout(p.row, 1))
			.flatMap(group -> Mono.fromCallable(() -> {
				Reconciler.Decision decision = reconciliation.settle(unknown, group);
				// RETRYABLE now in the ledger: if it cannot be claimed again, that is where it stays.
				p.settledAs = decision.status();
				if (decision.status() != RowStatus.RETRYABLE || stop.isStopping()) {
					return false;
				}
				// Claimed again with its next attempt row, committed before the request leaves.
				List<AttemptLog.Attempt> again = ledger.claim(List.of(p.row.rowId()), jobExecutionId);
				if (again.isEmpty()) {
					return false;
				}
				p.reclaimed(again.get(0));
				return true;
			}).subscribeOn(blocking))
			.flatMap(claimedAgain -> {
				if (!claimedAgain) {
					return Mono.just(p.settled(p.settledAs));
				}
				metrics.retry(provider.name(), "reconciled");
				return sendAgain.apply(p);
			})
			// The provider did not come back (or we are stopping): the row stays UNKNOWN, as recorded, for the
			// reconcile step or a restart to settle. A query the provider refuses as misconfigured stops the step.
			.onErrorResume(error -> {
				if (error instanceof ConfigurationException configuration) {
					stop.fail(configuration);
				}
				return Mono.just(p.settled(RowStatus.UNKNOWN));
			});
	}

	/**
	 * The provider's view of a row's group, asked once the breaker is closed, through the throttle. A query that
	 * fails counts against the breaker and is asked again, up to {@code maxRetries} times.
	 */
	private Mono<GroupState> askAbout(LedgerRow row, int attempt) {
		// Recorded as a QUERY attempt of the row, committed before the query leaves.
		return reconciliation.queries()
			.ask(List.of(row.rowId()), null, gate.awaitClosed().then(throttle.acquire()),
					() -> provider.queryGroup(row.groupId())
						.onErrorMap(error -> !(error instanceof ConfigurationException), QueryFailed::new),
					GroupState::found)
			.doOnNext(group -> gate.result(false, row.groupId()))
			.onErrorResume(QueryFailed.class, failed -> {
				gate.result(true, row.groupId());
				if (attempt > properties.maxRetries()) {
					return Mono.error(failed.getCause());
				}
				return Mono.delay(properties.backoff().delay(attempt, ThreadLocalRandom.current().nextDouble()))
					.then(askAbout(row, attempt + 1));
			});
	}

	/** A reconciliation query that failed, told apart from the pipeline stopping while it waited. */
	private static final class QueryFailed extends RuntimeException {

		QueryFailed(Throwable cause) {
			super(cause);
		}

	}

}
