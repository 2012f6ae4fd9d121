package io.grouprefunds.submit;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.ledger.AttemptLog;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.LedgerRow;
import io.grouprefunds.provider.RefundInstruction;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.reconcile.Reconciliation;
import io.grouprefunds.throttle.Throttle;
import io.grouprefunds.throttle.ThrottleLimits;
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
 * one round trip at every chunk. At most {@code maxInFlight} rows are on their way at once.
 *
 * <p>Per row: wait for the group's previous row ({@link GroupOrder}); wait while the circuit breaker is open
 * ({@link BreakerGate}) and while the {@link SlowStart} holds it back; take a slot from the account's throttle; send
 * (signed afresh); the {@link RetryPolicy} decides what the answer means; the {@link ChunkRecorder} records the
 * chunk once all its rows have left. When the breaker gives up, or credentials are refused, or a stop is requested
 * ({@link SendStop}), nothing new leaves: rows not yet sent are put back as they were, what is in flight is awaited
 * and recorded, and the caller fails or stops the step.
 */
final class SubmitPipeline implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(SubmitPipeline.class);

	/** How often a row waiting for its throttle slot looks whether sending stopped. */
	private static final long STOP_LOOK_NANOS = Duration.ofMillis(250).toNanos();

	private final RefundProvider provider;

	private final Throttle throttle;

	private boolean sharedUseLogged;

	private final SubmitMetrics metrics;

	private final SubmitCounts counts;

	private final int maxInFlight;

	private final SendStop stop = new SendStop();

	private final SlowStart slowStart = new SlowStart();

	private final GroupOrder groupOrder = new GroupOrder();

	private final BreakerGate gate;

	private final RetryPolicy retries;

	private final ChunkRecorder recorder;

	/** Attempt rows of requests sent again, committed before they leave. */
	private final AttemptBatcher attempts;

	/** Ledger and reconciliation calls made from inside the pipeline (rare: 5xx answers). */
	private final Scheduler blocking;

	private final Sinks.Many<ClaimedRow> queue = Sinks.many().unicast().onBackpressureBuffer();

	private final Disposable.Composite running = Disposables.composite();

	/** Rows claimed and not yet sent (or given up); guarded by this. */
	private int unsent;

	private boolean started;

	private volatile boolean sourceExhausted;

	SubmitPipeline(Ledger ledger, RefundProvider provider, Throttle throttle, Reconciliation reconciliation,
			SubmitProperties properties, ThrottleLimits limits, BreakerProperties breakerSettings,
			SubmitMetrics metrics, SubmitCounts counts, AttemptLog attemptLog, Long jobExecutionId) {
		this.provider = provider;
		this.throttle = throttle;
		this.metrics = metrics;
		this.counts = counts;
		this.maxInFlight = limits.maxInFlight();
		stop.onStop(slowStart::release);
		this.gate = new BreakerGate(breakerSettings, provider, throttle, metrics, stop);
		this.blocking = Schedulers.newBoundedElastic(4, Integer.MAX_VALUE, "submit-ledger", 60, true);
		this.attempts = new AttemptBatcher(attemptLog, jobExecutionId, blocking);
		this.retries = new RetryPolicy(ledger, provider, throttle, reconciliation, properties, gate, metrics, stop,
				blocking, this::attempt, jobExecutionId);
		this.recorder = new ChunkRecorder(ledger, provider.name(), metrics, stop::fail);
	}

	/**
	 * How many claimed rows may still be waiting for their slot before the next chunk is claimed: enough to keep the
	 * requests flowing while the next chunk is read and claimed, few enough that a crash leaves little to reconcile.
	 */
	int claimAhead() {
		return 2 * maxInFlight;
	}

	/**
	 * Queues claimed rows (each with the status it had before the claim) for sending; returns at once.
	 * @param claimAttempts the attempt row the claim committed for each row
	 */
	ChunkInFlight submit(List<LedgerRow> rows, Map<Long, AttemptLog.Attempt> claimAttempts) {
		ChunkInFlight chunk;
		synchronized (this) {
			if (!started) {
				started = true;
				running.add(slowStart.warmUp(throttle, provider, rows, stop::fail));
				running.add(queue.asFlux()
					.flatMap(claimed -> groupOrder.after(claimed.row.groupId(),
							attempt(claimed).onErrorResume(error -> unexpected(claimed, error))), maxInFlight)
					.subscribe(this::left, error -> log.error("the send pipeline died", error)));
			}
			chunk = recorder.open(rows.size());
			unsent += rows.size();
		}
		for (LedgerRow row : rows) {
			Sinks.EmitResult result = queue.tryEmitNext(new ClaimedRow(row, chunk, claimAttempts.get(row.rowId())));
			if (result.isFailure()) {
				throw new IllegalStateException("the send pipeline refused a row: " + result);
			}
		}
		return chunk;
	}

	/** Waits until at most {@code rows} claimed rows are still waiting to be sent. */
	synchronized void awaitUnsentAtMost(int rows) throws InterruptedException {
		while (unsent > rows) {
			wait();
		}
	}

	/** Waits until every chunk submitted before {@code chunk} is recorded; {@code null}: every chunk so far. */
	void awaitRecordedBefore(ChunkInFlight chunk) {
		recorder.awaitRecordedBefore(chunk);
	}

	/** Waits until every chunk submitted so far is recorded. */
	void awaitAll() {
		recorder.awaitRecordedBefore(null);
	}

	/** The reader has no more rows: the writer of the last chunk waits for it to be recorded. */
	void sourceExhausted() {
		sourceExhausted = true;
	}

	boolean isSourceExhausted() {
		return sourceExhausted;
	}

	/** After a failure (credentials refused, provider down, ledger unreachable): waits for everything, then throws. */
	void throwIfFailed() {
		if (stop.failure() != null) {
			awaitAll();
			throw stop.failure();
		}
	}

	/** Sends nothing more, waits for what is in flight and records it. The step is over. */
	@Override
	public void close() {
		stop.close();
		try {
			awaitAll();
		}
		catch (RuntimeException ex) {
			log.warn("while closing the send pipeline: {}", Failures.describe(ex));
		}
		running.dispose();
		gate.dispose();
		recorder.shutdown();
		blocking.dispose();
		if (!sharedUseLogged) { // closed by the writer and by the step: one line
			sharedUseLogged = true;
			throttle.sharedUse().ifPresent(use -> log.info("{}", use));
		}
	}

	// ---- one row

	private Mono<RowResult> attempt(ClaimedRow p) {
		return Mono.defer(() -> {
			if (stop.isStopping()) {
				return Mono.just(p.result());
			}
			if (gate.isOpen()) {
				return gate.awaitClosed().then(attempt(p)).onErrorResume(error -> Mono.just(p.result()));
			}
			if (p.needsAttempt()) {
				// A request sent again: its attempt row is committed first, like the claim's.
				return attempts.next(p.row.rowId()).doOnNext(p::attemptRecorded).then(Mono.defer(() -> attempt(p)))
					.onErrorResume(error -> notRecorded(p, error));
			}
			Mono<Void> heldBack = slowStart.holdBack(p);
			if (heldBack != null) {
				return heldBack.then(attempt(p));
			}
			long waitFrom = System.nanoTime();
			Duration wait = throttle.reserve();
			return untilSlot(wait).then(Mono.defer(() -> admitted(p, waitFrom)));
		});
	}

	/**
	 * Waits for a throttle slot {@code wait} ahead, looking at the stop every quarter of a second: at a low rate a
	 * slot can be seconds away, and a stop (SIGTERM, the stop time, a failure) must put the row back at once, not
	 * when its slot comes (a slot given up is simply not used).
	 */
	private Mono<Void> untilSlot(Duration wait) {
		if (wait.isZero() || wait.isNegative()) {
			return Mono.empty();
		}
		long until = System.nanoTime() + wait.toNanos();
		return waitUntil(until);
	}

	private Mono<Void> waitUntil(long untilNanos) {
		return Mono.defer(() -> {
			long left = untilNanos - System.nanoTime();
			if (left <= 0 || stop.isStopping()) {
				return Mono.empty();
			}
			return Mono.delay(Duration.ofNanos(Math.min(left, STOP_LOOK_NANOS))).then(waitUntil(untilNanos));
		});
	}

	/** At its slot: the row leaves once the throttle admits it, unless the pipeline stopped or the breaker opened. */
	private Mono<RowResult> admitted(ClaimedRow p, long waitFrom) {
		return Mono.defer(() -> {
			if (stop.isStopping()) {
				return Mono.just(p.result());
			}
			if (gate.isOpen()) {
				return attempt(p); // opened while this one waited for its slot: the slot is given up
			}
			Duration more = throttle.admit();
			if (!more.isZero()) {
				return untilSlot(more).then(admitted(p, waitFrom));
			}
			metrics.throttleWait(provider.name(), Duration.ofNanos(System.nanoTime() - waitFrom));
			dispatched(p);
			long started = System.nanoTime();
			return provider.submit(instruction(p.row)).flatMap(outcome -> {
				p.answered(outcome);
				metrics.request(provider.name(), outcome, System.nanoTime() - started);
				slowStart.firstAnswered();
				return retries.answered(p, outcome);
			});
		});
	}

	/** The attempt row of a request sent again could not be committed: it does not leave, and sending stops. */
	private Mono<RowResult> notRecorded(ClaimedRow p, Throwable error) {
		if (p.needsAttempt()) {
			stop.fail(new IllegalStateException("could not record an attempt in the ledger: " + Failures.describe(error),
					error));
			return Mono.just(p.result());
		}
		return unexpected(p, error);
	}

	private Mono<RowResult> unexpected(ClaimedRow p, Throwable error) {
		log.error("line {} request {}: unexpected error in the send pipeline", p.row.lineNumber(), p.row.requestId(),
				error);
		stop.fail(new IllegalStateException("unexpected error while sending: " + Failures.describe(error), error));
		// The request may have left: the row stays SENDING for reconciliation, never resent blindly.
		return Mono.just(p.settled(RowStatus.SENDING));
	}

	private void dispatched(ClaimedRow p) {
		p.requestLeaving();
		if (p.leaveQueue()) {
			counts.sent();
			leftQueue();
		}
	}

	private synchronized void leftQueue() {
		unsent--;
		notifyAll();
	}

	private void left(RowResult result) {
		slowStart.firstAnswered(); // also when the first row was never sent (a stop): the others must not wait
		if (result.claimed().leaveQueue()) {
			leftQueue();
		}
		if (result.neverSent()) {
			counts.notSent();
		}
		else {
			counts.answered();
		}
		recorder.left(result);
	}

	private static RefundInstruction instruction(LedgerRow row) {
		return RefundInstruction.of(row.rowId(), row.requestId(), row.groupId(), row.amount(), row.currency(),
				row.idempotencyKey());
	}

}
