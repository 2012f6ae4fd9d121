package io.grouprefunds.submit;

import java.util.function.Consumer;

import io.grouprefunds.domain.ConfigurationException;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.grouprefunds.ledger.LedgerRow;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.throttle.Throttle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/**
 * A cold process (classes, connection pool, TLS) holds its first requests and then releases them together: a burst
 * the provider's window counts, although each left its slot on time. So the pipeline starts slowly: a harmless read
 * first (the group of the first row), then one refund alone, then the rest.
 */
final class SlowStart {

	private static final Logger log = LoggerFactory.getLogger(SlowStart.class);

	/** Completes when the warm-up read has its answer (or failed). */
	private final CompletableFuture<Void> clientWarm = new CompletableFuture<>();

	/** Completes when the first refund request has its answer. */
	private final CompletableFuture<Void> warmedUp = new CompletableFuture<>();

	private final AtomicReference<ClaimedRow> first = new AtomicReference<>();

	/**
	 * The warm-up read, through the throttle like every request; its answer does not matter, unless it shows the
	 * configuration is wrong (a query path that answers 404): then {@code stop} is told before the first refund leaves.
	 */
	Disposable warmUp(Throttle throttle, RefundProvider provider, List<LedgerRow> rows,
			Consumer<RuntimeException> stop) {
		if (rows.isEmpty()) {
			clientWarm.complete(null);
			return Disposables.disposed();
		}
		return throttle.acquire()
			.then(Mono.defer(() -> provider.queryGroup(rows.get(0).groupId())))
			.subscribe(answer -> clientWarm.complete(null), error -> {
				log.debug("warm-up query: {}", Failures.describe(error));
				if (error instanceof ConfigurationException configuration) {
					stop.accept(configuration);
				}
				clientWarm.complete(null);
			}, () -> clientWarm.complete(null));
	}

	/**
	 * What the row waits for before it may take a slot, or null when it may go now. The signals only ever complete
	 * normally, so a wait given up (the pipeline disposed) leaves no error behind.
	 */
	Mono<Void> holdBack(ClaimedRow row) {
		if (!clientWarm.isDone()) {
			return Mono.fromFuture(clientWarm, true);
		}
		if (!warmedUp.isDone() && !first.compareAndSet(null, row) && first.get() != row) {
			return Mono.fromFuture(warmedUp, true);
		}
		return null;
	}

	/** The first refund has its answer, or left without one (a stop): the others must not wait. */
	void firstAnswered() {
		warmedUp.complete(null);
	}

	/** Rows held back look again, and find the pipeline stopping. */
	void release() {
		clientWarm.complete(null);
		warmedUp.complete(null);
	}

}
