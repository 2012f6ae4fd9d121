package io.grouprefunds.submit;

import io.grouprefunds.reconcile.Reconciler;
import io.grouprefunds.reconcile.Reconciliation;
import io.grouprefunds.throttle.Throttle;
import io.grouprefunds.throttle.ThrottleLimits;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.Ledger.RecordedOutcome;
import io.grouprefunds.ledger.LedgerRow;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.provider.GroupState;
import io.grouprefunds.domain.ConfigurationException;
import io.grouprefunds.provider.RefundInstruction;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.domain.SubmitOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Sends the claimed rows of one submit step execution, across chunk boundaries: the rows of a chunk join the queue
 * while the previous chunk's last requests are still out, so the provider sees a steady stream instead of a pause of
 * one round trip at every chunk. Each chunk's outcomes are recorded together, in one committed transaction, once all
 * of its rows have an answer (see {@link SubmitWriter} for why that keeps restarts exact).
 *
 * <p>Per row: wait while the circuit breaker is open; take a slot from the account's throttle; send (signed afresh);
 * then, by outcome:
 * <ul>
 * <li>429: pause the whole account (Retry-After, else exponential backoff with jitter) and send again; not counted
 * against the row, until it has been refused for {@code maxRateLimitedWait};</li>
 * <li>connection refused: not processed; send again after a backoff, up to {@code maxRetries};</li>
 * <li>5xx (an answer: the provider is done with it): record UNKNOWN, wait for the provider to be up, ask it what it
 * did (reconciliation), and send again only if that proves it was not applied, within {@code maxRetries};</li>
 * <li>anything else is final for this run.</li>
 * </ul>
 * This is the only retry layer. When the breaker gives up, or credentials are refused, or a stop is requested,
 * nothing new leaves: rows not yet sent are put back as they were, what is in flight is awaited and recorded, and
 * the caller fails or stops the step.
 */
public class SubmitPipeline implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(SubmitPipeline.class);

	/** While the breaker is open, waiting rows look again this often whether they should give up (stop, failure). */
	private static final Duration OPEN_POLL = Duration.ofSeconds(1);

	private final Ledger ledger;

	private final RefundProvider provider;

	private final Throttle throttle;

	private final Reconciliation reconciliation;

	private final SubmitProperties properties;

	private final int maxInFlight;

	private final CircuitBreaker breaker;

	private final CircuitBreaker.Settings breakerSettings;

	private final SubmitMetrics metrics;

	private final Sinks.Many<Pending> queue = Sinks.many().unicast().onBackpressureBuffer();

	/** The last row queued for each group that has not finished yet; see {@link #inGroupOrder}. */
	private final Map<String, Mono<Void>> groupTails = new ConcurrentHashMap<>();

	/** Records outcomes, one chunk at a time and in order, off the network threads. */
	private final ExecutorService recorder;

	/** Ledger and reconciliation calls made from inside the pipeline (rare: 5xx answers). */
	private final Scheduler blocking;

	private final Disposable.Composite running = Disposables.composite();

	/** Chunks submitted and not yet recorded, oldest first; guarded by this. */
	private final Deque<Batch> batches = new ArrayDeque<>();

	/** Rows claimed and not yet sent (or given up); guarded by this. */
	private int unsent;

	private boolean started;

	private volatile boolean closing;

	private volatile boolean sourceExhausted;

	private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

	/**
	 * A cold process (classes, connection pool, TLS) holds its first requests and then releases them together: a
	 * burst the provider's window counts, although each left its slot on time. So the pipeline starts slowly: a
	 * harmless read first (the group of the first row), then one refund alone, then the rest.
	 */
	private final CompletableFuture<Void> clientWarm = new CompletableFuture<>();

	/** Completes when the first refund request has its answer (see {@link #clientWarm}). */
	private final CompletableFuture<Void> warmedUp = new CompletableFuture<>();

	private final AtomicReference<Pending> first = new AtomicReference<>();

	/** Complete while the breaker is closed; a new, pending one while it is open. Swapped under the breaker. */
	private volatile CompletableFuture<Void> whenClosed = CompletableFuture.completedFuture(null);

	public SubmitPipeline(Ledger ledger, RefundProvider provider, Throttle throttle, Reconciliation reconciliation,
			SubmitProperties properties, ThrottleLimits limits, CircuitBreaker.Settings breakerSettings,
			SubmitMetrics metrics) {
		this.ledger = ledger;
		this.provider = provider;
		this.throttle = throttle;
		this.reconciliation = reconciliation;
		this.properties = properties;
		this.maxInFlight = limits.maxInFlight();
		this.breakerSettings = breakerSettings;
		this.breaker = new CircuitBreaker(breakerSettings, System::nanoTime);
		this.metrics = metrics;
		this.recorder = Executors.newSingleThreadExecutor(runnable -> {
			Thread thread = new Thread(runnable, "submit-recorder");
			thread.setDaemon(true);
			return thread;
		});
		this.blocking = Schedulers.newBoundedElastic(4, Integer.MAX_VALUE, "submit-ledger", 60, true);
	}

	/**
	 * How many claimed rows may still be waiting for their slot before the next chunk is claimed: enough to keep the
	 * requests flowing while the next chunk is read and claimed, few enough that a crash leaves little to reconcile.
	 */
	public int claimAhead() {
		return 2 * maxInFlight;
	}

	/** Queues claimed rows (each with the status it had before the claim) for sending; returns at once. */
	public Batch submit(List<LedgerRow> rows) {
		Batch batch = new Batch(rows.size());
		synchronized (this) {
			if (!started) {
				started = true;
				warmUp(rows);
				running.add(queue.asFlux()
					.flatMap(pending -> inGroupOrder(pending,
							attempt(pending).onErrorResume(error -> unexpected(pending, error))), maxInFlight)
					.subscribe(this::completed, error -> log.error("the send pipeline died", error)));
			}
			batches.addLast(batch);
			unsent += rows.size();
		}
		if (rows.isEmpty()) {
			recorder.execute(() -> record(batch));
		}
		for (LedgerRow row : rows) {
			Sinks.EmitResult result = queue.tryEmitNext(new Pending(row, batch));
			if (result.isFailure()) {
				throw new IllegalStateException("the send pipeline refused a row: " + result);
			}
		}
		return batch;
	}

	private void warmUp(List<LedgerRow> rows) {
		if (rows.isEmpty()) {
			clientWarm.complete(null);
			return;
		}
		running.add(throttle.acquire()
			.then(Mono.defer(() -> provider.queryGroup(rows.get(0).groupId())))
			.subscribe(answer -> clientWarm.complete(null), error -> {
				log.debug("warm-up query: {}", error.toString());
				if (error instanceof ConfigurationException configuration) {
					fail(configuration); // a query path that answers 404: stop before the first refund leaves
				}
				clientWarm.complete(null);
			}, () -> clientWarm.complete(null)));
	}

	/** Waits until at most {@code rows} claimed rows are still waiting to be sent. */
	public synchronized void awaitUnsentAtMost(int rows) throws InterruptedException {
		while (unsent > rows) {
			wait();
		}
	}

	/** Waits until every chunk submitted before {@code batch} is recorded; {@code null}: every chunk so far. */
	public void awaitRecordedBefore(Batch batch) {
		List<Batch> earlier = new ArrayList<>();
		synchronized (this) {
			for (Batch pending : batches) {
				if (pending == batch) {
					break;
				}
				earlier.add(pending);
			}
		}
		earlier.forEach(Batch::awaitRecorded);
	}

	/** Waits until every chunk submitted so far is recorded. */
	public void awaitAll() {
		awaitRecordedBefore(null);
	}

	/** The reader has no more rows: the writer of the last chunk waits for it to be recorded. */
	public void sourceExhausted() {
		sourceExhausted = true;
	}

	public boolean isSourceExhausted() {
		return sourceExhausted;
	}

	/** After a failure (credentials refused, provider down, ledger unreachable): waits for everything, then throws. */
	public void throwIfFailed() {
		if (failure.get() != null) {
			awaitAll();
			throw failure.get();
		}
	}

	/** Sends nothing more, waits for what is in flight and records it. The step is over. */
	@Override
	public void close() {
		closing = true;
		releaseWaiters();
		try {
			awaitAll();
		}
		catch (RuntimeException ex) {
			log.warn("while closing the send pipeline: {}", ex.getMessage());
		}
		running.dispose();
		recorder.shutdown();
		blocking.dispose();
	}

	// ---- one row

	/**
	 * Rows of one group leave one at a time, in line order: the answer to one (the group's remaining balance or
	 * refundable amount) decides the next one's, so the file's order must decide, not the network's; and
	 * reconciliation can only settle a group with a single unsettled row. Called in queue order (flatMap's mapper).
	 */
	private Mono<Sent> inGroupOrder(Pending p, Mono<Sent> send) {
		String group = p.row.groupId();
		Sinks.Empty<Void> done = Sinks.empty();
		Mono<Void> mine = done.asMono();
		Mono<Void> previous = groupTails.put(group, mine);
		return (previous == null ? send : previous.then(send)).doFinally(signal -> {
			groupTails.remove(group, mine);
			done.tryEmitEmpty();
		});
	}

	private Mono<Sent> attempt(Pending p) {
		return Mono.defer(() -> {
			if (stopping()) {
				return Mono.just(p.notSent());
			}
			if (!whenClosed.isDone() || whenClosed.isCompletedExceptionally()) {
				return awaitClosed().then(attempt(p)).onErrorResume(error -> Mono.just(p.notSent()));
			}
			if (!clientWarm.isDone()) {
				return Mono.fromFuture(clientWarm, true).then(attempt(p));
			}
			if (!warmedUp.isDone() && !first.compareAndSet(null, p) && first.get() != p) {
				return Mono.fromFuture(warmedUp, true).then(attempt(p));
			}
			long waitFrom = System.nanoTime();
			Duration wait = throttle.reserve();
			Mono<Long> slot = wait.isZero() ? Mono.just(0L) : Mono.delay(wait);
			return slot.then(Mono.defer(() -> admitted(p, waitFrom)));
		});
	}

	/** At its slot: the row leaves once the throttle admits it, unless the pipeline stopped or the breaker opened. */
	private Mono<Sent> admitted(Pending p, long waitFrom) {
		return Mono.defer(() -> {
			if (stopping()) {
				return Mono.just(p.notSent());
			}
			if (!whenClosed.isDone()) {
				return attempt(p); // opened while this one waited for its slot: the slot is given up
			}
			Duration more = throttle.admit();
			if (!more.isZero()) {
				return Mono.delay(more).then(admitted(p, waitFrom));
			}
			metrics.throttleWait(provider.name(), Duration.ofNanos(System.nanoTime() - waitFrom));
			dispatched(p);
			long started = System.nanoTime();
			return provider.submit(instruction(p.row)).flatMap(outcome -> {
				metrics.request(provider.name(), outcome, System.nanoTime() - started);
				return answered(p, outcome);
			});
		});
	}

	private Mono<Sent> answered(Pending p, SubmitOutcome outcome) {
		warmedUp.complete(null);
		p.lastOutcome = outcome;
		if (outcome.httpStatus() != null && outcome.httpStatus() != 429) {
			throttle.answered();
		}
		if (outcome.retry() == SubmitOutcome.Retry.STOP_JOB) {
			fail(new ConfigurationException(outcome.errorMessage()));
			return Mono.just(p.sent());
		}
		if (outcome.retry() == SubmitOutcome.Retry.NOW && Integer.valueOf(429).equals(outcome.httpStatus())) {
			return rateLimited(p, outcome);
		}
		p.rateLimitedSince = null;
		if (outcome.retry() == SubmitOutcome.Retry.NOW) {
			// No connection was made: not processed, and a sign the provider may be down.
			breakerResult(true, p.row);
			if (p.tries > properties.maxRetries()) {
				return Mono.just(p.sent());
			}
			Duration wait = properties.backoff().delay(p.tries, ThreadLocalRandom.current().nextDouble());
			log.info("line {} request {}: {} not processed, trying again in {} ms", p.row.lineNumber(),
					p.row.requestId(), outcome.errorCode(), wait.toMillis());
			metrics.retry(provider.name(), "connect_failed");
			return Mono.delay(wait).then(attempt(p));
		}
		if (outcome.status() == RowStatus.UNKNOWN) {
			breakerResult(true, p.row);
			boolean answeredServerError = outcome.httpStatus() != null && outcome.httpStatus() >= 500;
			if (answeredServerError && p.tries <= properties.maxRetries()) {
				return provider.idempotencyEnforced() ? resendWithSameKey(p) : settleThenRetry(p, outcome);
			}
			return Mono.just(p.sent());
		}
		breakerResult(false, p.row);
		return Mono.just(p.sent());
	}

	/** The account is rate limited: everyone waits (in the throttle), this row tries again, uncounted. */
	private Mono<Sent> rateLimited(Pending p, SubmitOutcome outcome) {
		Duration pause = throttle.rateLimited(outcome.retryAfter());
		long now = System.nanoTime();
		if (p.rateLimitedSince == null) {
			p.rateLimitedSince = now;
		}
		if (now - p.rateLimitedSince >= properties.maxRateLimitedWait().toNanos()) {
			return Mono.just(p.sent());
		}
		log.debug("line {} request {}: rate limited (Retry-After {}), the account pauses {} ms", p.row.lineNumber(),
				p.row.requestId(), outcome.retryAfter(), pause.toMillis());
		p.uncounted = true;
		metrics.retry(provider.name(), "rate_limited");
		return attempt(p);
	}

	/** The account deduplicates our idempotency key: the same request again returns the first answer. */
	private Mono<Sent> resendWithSameKey(Pending p) {
		metrics.retry(provider.name(), "idempotent_resend");
		return awaitClosed().then(attempt(p)).onErrorResume(error -> Mono.just(p.sent()));
	}

	/**
	 * A 5xx answer: the provider is done with the request, but did it apply it? Record UNKNOWN, wait until the
	 * provider answers again, ask it (reconciliation settles the row from its view of the group), and send again only
	 * when that proves the refund was not applied. Never a blind resend.
	 */
	private Mono<Sent> settleThenRetry(Pending p, SubmitOutcome outcome) {
		LedgerRow unknown = p.row.withStatus(RowStatus.UNKNOWN);
		return Mono.fromRunnable(() -> ledger.recordOutcomes(
				List.of(new RecordedOutcome(p.row.rowId(), outcome, p.claimTries - 1))))
			.subscribeOn(blocking)
			.then(askAbout(p.row, 1))
			.flatMap(group -> Mono.fromCallable(() -> {
				Reconciler.Decision decision = reconciliation.settle(unknown, group);
				if (decision.status() != RowStatus.RETRYABLE || stopping()) {
					p.settledAs = decision.status();
					return false;
				}
				return !ledger.claim(List.of(p.row.rowId())).isEmpty();
			}).subscribeOn(blocking))
			.flatMap(claimedAgain -> {
				if (!claimedAgain) {
					return Mono.just(p.settled());
				}
				p.reclaimed();
				metrics.retry(provider.name(), "reconciled");
				return attempt(p);
			})
			.onErrorResume(error -> {
				if (error instanceof ConfigurationException configuration) {
					fail(configuration);
				}
				// The provider did not come back (or we are stopping): the row stays UNKNOWN, as recorded, for the
				// reconcile step or a restart to settle.
				p.settledAs = RowStatus.UNKNOWN;
				return Mono.just(p.settled());
			});
	}

	/**
	 * The provider's view of a row's group, asked once the breaker is closed, through the throttle. A query that
	 * fails counts against the breaker and is asked again, up to {@code maxRetries} times.
	 */
	private Mono<GroupState> askAbout(LedgerRow row, int attempt) {
		return awaitClosed().then(throttle.acquire())
			.then(Mono.defer(() -> provider.queryGroup(row.groupId())
				.onErrorMap(error -> !(error instanceof ConfigurationException), QueryFailed::new)))
			.doOnNext(group -> breakerResult(false, row))
			.onErrorResume(QueryFailed.class, failed -> {
				breakerResult(true, row);
				if (attempt > properties.maxRetries()) {
					return Mono.error(failed.getCause());
				}
				return Mono.delay(properties.backoff().delay(attempt, ThreadLocalRandom.current().nextDouble()))
					.then(askAbout(row, attempt + 1));
			});
	}

	/** Completes when the breaker is closed; fails when it gave up or this pipeline stops meanwhile. */
	private Mono<Void> awaitClosed() {
		return Mono.defer(() -> {
			if (stopping()) {
				return Mono.error(new IllegalStateException("stopping"));
			}
			CompletableFuture<Void> signal = whenClosed;
			if (signal.isDone()) {
				return Mono.fromFuture(signal, true);
			}
			return Mono.fromFuture(signal, true).timeout(OPEN_POLL, Mono.defer(this::awaitClosed));
		});
	}

	private Mono<Sent> unexpected(Pending p, Throwable error) {
		log.error("line {} request {}: unexpected error in the send pipeline", p.row.lineNumber(), p.row.requestId(),
				error);
		fail(new IllegalStateException("unexpected error while sending: " + error, error));
		// The request may have left: the row stays SENDING for reconciliation, never resent blindly.
		p.settledAs = RowStatus.SENDING;
		return Mono.just(p.settled());
	}

	// ---- the circuit breaker

	private void breakerResult(boolean failed, LedgerRow row) {
		boolean opened;
		synchronized (breaker) {
			opened = breaker.record(failed);
			if (opened) {
				whenClosed = new CompletableFuture<>();
			}
		}
		if (opened) {
			metrics.breakerOpened(provider.name());
			log.warn("{} looks down (most recent requests failed): nothing more is sent until it answers again; "
					+ "probing it every {} s, giving up after {} s", provider.name(),
					breakerSettings.probeInterval().toSeconds(), breakerSettings.giveUpAfter().toSeconds());
			scheduleProbe(row.groupId());
		}
	}

	private void scheduleProbe(String groupId) {
		Duration wait;
		synchronized (breaker) {
			wait = breaker.untilProbe();
		}
		// A harmless read, through the throttle like every request: is the provider answering?
		running.add(Mono.delay(wait)
			.then(throttle.acquire())
			.then(Mono.defer(() -> provider.queryGroup(groupId)))
			.subscribe(answer -> probeAnswered(), error -> probeFailed(groupId, error)));
	}

	private void probeAnswered() {
		CompletableFuture<Void> signal;
		Duration down;
		synchronized (breaker) {
			down = breaker.openFor();
			breaker.probeAnswered();
			signal = whenClosed;
		}
		log.warn("{} answers again after {} s down: sending resumes", provider.name(), down.toSeconds());
		signal.complete(null);
	}

	private void probeFailed(String groupId, Throwable error) {
		if (error instanceof ConfigurationException configuration) {
			fail(configuration); // not down: misconfigured; waiting would not help
			whenClosed.completeExceptionally(configuration);
			return;
		}
		CircuitBreaker.State state;
		Duration down;
		synchronized (breaker) {
			state = breaker.probeFailed();
			down = breaker.openFor();
		}
		if (state == CircuitBreaker.State.GAVE_UP) {
			ProviderUnavailableException unavailable = new ProviderUnavailableException(provider.name()
					+ " has not answered for " + down.toSeconds() + " s (last probe: " + describe(error)
					+ "); nothing more was sent, rows not sent are as they were");
			fail(unavailable);
			whenClosed.completeExceptionally(unavailable);
			return;
		}
		log.info("{} still down after {} s ({})", provider.name(), down.toSeconds(), describe(error));
		if (!closing) {
			scheduleProbe(groupId);
		}
	}

	private static String describe(Throwable error) {
		Throwable root = error;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return error == root ? String.valueOf(error.getMessage()) : error.getMessage() + ": " + root;
	}

	// ---- bookkeeping

	private boolean stopping() {
		return closing || failure.get() != null || StopRequest.isRequested();
	}

	private void fail(RuntimeException cause) {
		if (failure.compareAndSet(null, cause)) {
			log.warn("sending stops: {}", cause.getMessage());
		}
		releaseWaiters();
	}

	/** Rows held back by the slow start look again, and find the pipeline stopping. */
	private void releaseWaiters() {
		clientWarm.complete(null);
		warmedUp.complete(null);
	}

	private void dispatched(Pending p) {
		if (p.uncounted) {
			p.uncounted = false;
		}
		else {
			p.tries++;
			p.claimTries++;
		}
		leftQueue(p);
	}

	private void leftQueue(Pending p) {
		if (!p.dispatched) {
			p.dispatched = true;
			synchronized (this) {
				unsent--;
				notifyAll();
			}
		}
	}

	private void completed(Sent sent) {
		warmedUp.complete(null); // also when the first row was never sent (a stop): the others must not wait
		leftQueue(sent.pending());
		Batch batch = sent.pending().batch;
		if (batch.add(sent)) {
			recorder.execute(() -> record(batch));
		}
	}

	/** One committed transaction for a chunk's outcomes; rows never sent are put back as they were. */
	private void record(Batch batch) {
		try {
			List<RecordedOutcome> outcomes = new ArrayList<>();
			Map<Long, RowStatus> neverSent = new HashMap<>();
			for (Sent sent : batch.results) {
				Pending p = sent.pending();
				if (sent.settled()) {
					metrics.row(provider.name(), p.settledAs.name());
				}
				else if (sent.outcome() == null) {
					neverSent.put(p.row.rowId(), p.prior);
					metrics.row(provider.name(), "NOT_SENT");
				}
				else {
					outcomes.add(new RecordedOutcome(p.row.rowId(), sent.outcome(), sent.extraAttempts()));
					metrics.row(provider.name(), sent.outcome().status().name());
					logOutcome(p.row, sent.outcome());
				}
			}
			ledger.recordOutcomes(outcomes);
			if (!neverSent.isEmpty()) {
				ledger.release(neverSent);
			}
			batch.recorded.complete(null);
		}
		catch (RuntimeException ex) {
			// The rows stay SENDING: a restart reconciles them before anything is sent again.
			fail(new IllegalStateException("could not record outcomes in the ledger: " + ex.getMessage(), ex));
			batch.recorded.completeExceptionally(ex);
		}
		finally {
			synchronized (this) {
				batches.remove(batch);
				notifyAll();
			}
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

	private static RefundInstruction instruction(LedgerRow row) {
		return RefundInstruction.of(row.rowId(), row.requestId(), row.groupId(), row.amount(), row.currency(),
				row.idempotencyKey());
	}

	/** The rows of one chunk on their way: recorded together once every one has an answer. */
	public static final class Batch {

		private final AtomicInteger remaining;

		private final ConcurrentLinkedQueue<Sent> results = new ConcurrentLinkedQueue<>();

		private final CompletableFuture<Void> recorded = new CompletableFuture<>();

		Batch(int rows) {
			this.remaining = new AtomicInteger(rows);
		}

		/** @return true when this was the last row of the chunk */
		boolean add(Sent sent) {
			results.add(sent);
			return remaining.decrementAndGet() == 0;
		}

		void awaitRecorded() {
			try {
				recorded.join();
			}
			catch (CompletionException ex) {
				throw ex.getCause() instanceof RuntimeException runtime ? runtime : ex;
			}
		}

	}

	/** A claimed row in the pipeline; its fields are touched by one request chain at a time. */
	private static final class Pending {

		final LedgerRow row;

		final Batch batch;

		/** The status to put back if the row is not sent after all. */
		RowStatus prior;

		/** Requests sent this run, retries after a 429 excluded: what {@code maxRetries} bounds. */
		int tries;

		/** Requests sent since the row was last claimed, retries after a 429 excluded: recorded as attempts. */
		int claimTries;

		/** The next request is a retry after a 429: it does not count against the row. */
		boolean uncounted;

		Long rateLimitedSince;

		SubmitOutcome lastOutcome;

		RowStatus settledAs;

		boolean dispatched;

		Pending(LedgerRow row, Batch batch) {
			this.row = row;
			this.batch = batch;
			// A maybe-sent row sent again under an enforced idempotency key goes back UNKNOWN, never READY.
			this.prior = RowStatus.MAYBE_SENT.contains(row.status()) ? RowStatus.UNKNOWN : row.status();
		}

		/** Claimed again after reconciliation proved the last request was not applied. */
		void reclaimed() {
			prior = RowStatus.RETRYABLE;
			lastOutcome = null;
			claimTries = 0;
		}

		Sent sent() {
			return new Sent(this, lastOutcome, Math.max(0, claimTries - 1), false);
		}

		/** Not sent (again): a row that had an answer keeps it (429, refused: provably not processed). */
		Sent notSent() {
			return new Sent(this, lastOutcome, Math.max(0, claimTries - 1), false);
		}

		Sent settled() {
			return new Sent(this, null, 0, true);
		}

	}

	/** A reconciliation query that failed, told apart from the pipeline stopping while it waited. */
	private static final class QueryFailed extends RuntimeException {

		QueryFailed(Throwable cause) {
			super(cause);
		}

	}

	/** How a row left the pipeline: an outcome to record, nothing (never sent), or already settled in the ledger. */
	private record Sent(Pending pending, SubmitOutcome outcome, int extraAttempts, boolean settled) {
	}

}
