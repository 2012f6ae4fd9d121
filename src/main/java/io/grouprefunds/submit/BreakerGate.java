package io.grouprefunds.submit;

import io.grouprefunds.domain.ConfigurationException;

import java.time.Duration;

import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.throttle.Throttle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The circuit breaker between the pipeline and the provider: it hears every request's result; once it opens,
 * nothing is sent until a probe (a harmless read, through the throttle) is answered; when the provider stays down
 * for {@code giveUpAfter}, sending stops with a {@link ProviderUnavailableException}.
 *
 * <p>Rows wait on a sink, not a future: a wait given up leaves nothing behind that could fail later with no one to
 * hear it (Reactor would print that error as "dropped").
 */
final class BreakerGate {

	private static final Logger log = LoggerFactory.getLogger(BreakerGate.class);

	/** While open, waiting rows look this often whether a stop was requested (a signal, which tells no one). */
	private static final Duration STOP_POLL = Duration.ofSeconds(1);

	/** A probe that fails the same way again is logged at most this often; the breaker's give-up says the rest. */
	private static final Duration STILL_DOWN_EVERY = Duration.ofMinutes(1);

	private final CircuitBreaker breaker;

	private final BreakerProperties settings;

	private final RefundProvider provider;

	private final Throttle throttle;

	private final SubmitMetrics metrics;

	private final SendStop stop;

	private final Disposable.Composite probes = Disposables.composite();

	/** Completes when the breaker closes, fails when sending stops; swapped under {@link #breaker}'s monitor. */
	private volatile Sinks.Empty<Void> whenClosed = closedSignal();

	private volatile boolean open;

	/** What the last logged failed probe said, and when; guarded by {@link #breaker}'s monitor. */
	private String lastReason;

	private long lastReasonAt;

	BreakerGate(BreakerProperties settings, RefundProvider provider, Throttle throttle, SubmitMetrics metrics,
			SendStop stop) {
		this.breaker = new CircuitBreaker(settings, System::nanoTime);
		this.settings = settings;
		this.provider = provider;
		this.throttle = throttle;
		this.metrics = metrics;
		this.stop = stop;
		stop.onStop(this::release);
	}

	/** True while nothing may be sent: the breaker is open (or gave up). */
	boolean isOpen() {
		return open;
	}

	/** Completes when the breaker is closed; fails when sending stops meanwhile. */
	Mono<Void> awaitClosed() {
		return Mono.defer(() -> {
			Sinks.Empty<Void> signal = whenClosed;
			if (stop.isStopping()) {
				return Mono.error(new SendingStopped());
			}
			if (!open) {
				return Mono.empty();
			}
			Mono<Void> stopRequested = Flux.interval(STOP_POLL)
				.filter(tick -> stop.isStopping())
				.next()
				.then(Mono.error(SendingStopped::new));
			return Mono.firstWithSignal(signal.asMono(), stopRequested);
		});
	}

	/** One request's (or reconciliation query's) result: a failure is a call that got no answer or a 5xx. */
	void result(boolean failed, String groupId) {
		boolean opened;
		synchronized (breaker) {
			opened = breaker.record(failed);
			if (opened) {
				whenClosed = Sinks.empty();
				open = true;
				lastReason = null;
			}
		}
		if (opened) {
			metrics.breakerOpened(provider.name());
			log.warn("{} looks down (most recent requests failed): nothing more is sent until it answers again; "
					+ "probing it every {}, giving up after {}", provider.name(), text(settings.probeInterval()),
					text(settings.giveUpAfter()));
			scheduleProbe(groupId);
		}
	}

	/** No more probes. */
	void dispose() {
		probes.dispose();
	}

	private void scheduleProbe(String groupId) {
		Duration wait;
		synchronized (breaker) {
			wait = breaker.untilProbe();
		}
		probes.add(Mono.delay(wait)
			.then(throttle.acquire())
			.then(Mono.defer(() -> provider.queryGroup(groupId)))
			.subscribe(answer -> probeAnswered(), error -> probeFailed(groupId, error)));
	}

	private void probeAnswered() {
		Sinks.Empty<Void> signal;
		Duration down;
		synchronized (breaker) {
			down = breaker.openFor();
			breaker.probeAnswered();
			signal = whenClosed;
			open = false;
		}
		log.warn("{} answers again after {} down: sending resumes", provider.name(), text(down));
		signal.tryEmitEmpty();
	}

	private void probeFailed(String groupId, Throwable error) {
		if (error instanceof ConfigurationException configuration) {
			stop.fail(configuration); // not down: misconfigured (e.g. a query path that answers 404); waiting won't help
			return;
		}
		CircuitBreaker.State state;
		Duration down;
		String reason = Failures.describe(error);
		boolean tell;
		synchronized (breaker) {
			state = breaker.probeFailed();
			down = breaker.openFor();
			long now = System.nanoTime();
			tell = !reason.equals(lastReason) || now - lastReasonAt >= STILL_DOWN_EVERY.toNanos();
			if (tell) {
				lastReason = reason;
				lastReasonAt = now;
			}
		}
		if (state == CircuitBreaker.State.GAVE_UP) {
			stop.fail(new ProviderUnavailableException(provider.name() + " has not answered for " + down.toSeconds()
					+ " s (last probe: " + reason + "); nothing more was sent, rows not sent are as they were"));
			return;
		}
		if (tell) {
			log.info("{} still down after {} ({})", provider.name(), text(down), reason);
		}
		else {
			log.debug("{} still down after {} ({})", provider.name(), text(down), reason);
		}
		if (!stop.isClosing()) {
			scheduleProbe(groupId);
		}
	}

	/** Sending stops: rows waiting for the breaker to close give up at once. */
	private void release() {
		whenClosed.tryEmitError(new SendingStopped());
	}

	private static Sinks.Empty<Void> closedSignal() {
		Sinks.Empty<Void> signal = Sinks.empty();
		signal.tryEmitEmpty();
		return signal;
	}

	/** {@code 10 s}, {@code 5 min}, {@code 200 ms}: a duration as the operator set it, without rounding it away. */
	static String text(Duration duration) {
		long millis = duration.toMillis();
		if (millis < 1000 || millis % 1000 != 0 && millis < 10_000) {
			return millis < 1000 ? millis + " ms" : String.format("%.1f s", millis / 1000.0);
		}
		long seconds = duration.toSeconds();
		return seconds >= 120 && seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
	}

	/** Sending stopped while a row waited for the breaker to close. */
	static final class SendingStopped extends RuntimeException {

		SendingStopped() {
			super("sending stopped", null, false, false);
		}

	}

}
