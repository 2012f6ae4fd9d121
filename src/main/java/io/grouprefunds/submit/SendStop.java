package io.grouprefunds.submit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the send pipeline must send nothing new, and why: the step is closing, sending failed (credentials
 * refused, provider gone, ledger unreachable), or the process was asked to stop. Whatever waits to be sent is told
 * at once through {@link #onStop}; a stop request (a signal) is seen by whoever looks next.
 */
final class SendStop {

	private static final Logger log = LoggerFactory.getLogger(SendStop.class);

	private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

	private final List<Runnable> onStop = new CopyOnWriteArrayList<>();

	private volatile boolean closing;

	/** Run when sending stops for a failure or because the step closes: release what waits. */
	void onStop(Runnable action) {
		onStop.add(action);
	}

	boolean isStopping() {
		return closing || failure.get() != null || StopRequest.isRequested();
	}

	boolean isClosing() {
		return closing;
	}

	/** The first failure wins and is what the step fails with; later ones only add to the log file. */
	void fail(RuntimeException cause) {
		if (failure.compareAndSet(null, cause)) {
			log.warn("sending stops: {}", cause.getMessage());
		}
		else {
			log.debug("sending had already stopped; also: {}", Failures.describe(cause));
		}
		onStop.forEach(Runnable::run);
	}

	/** The failure that stopped sending, or null. */
	RuntimeException failure() {
		return failure.get();
	}

	void close() {
		closing = true;
		onStop.forEach(Runnable::run);
	}

}
