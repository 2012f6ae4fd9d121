package io.grouprefunds.submit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Hooks;

/**
 * An error Reactor could not deliver, because its subscriber was already done, is by default printed as an ERROR
 * line with a stack trace, every time: hundreds of lines in an outage, none an operator can act on. The send pipeline
 * leaves no such error behind (see {@link BreakerGate}); this is the net under it: the first of each kind goes to the
 * debug log, the rest nowhere.
 */
final class DroppedErrors {

	private static final Logger log = LoggerFactory.getLogger(DroppedErrors.class);

	private static final AtomicBoolean installed = new AtomicBoolean();

	private static final Set<Class<?>> seen = ConcurrentHashMap.newKeySet();

	private DroppedErrors() {
	}

	/** Once per process: Reactor's hooks are global, and adding one again would add a second consumer. */
	static void install() {
		if (installed.compareAndSet(false, true)) {
			Hooks.onErrorDropped(DroppedErrors::dropped);
		}
	}

	static void dropped(Throwable error) {
		if (seen.add(error.getClass())) {
			log.debug("an error arrived after its subscriber was done (further ones of this kind are not logged): {}",
					Failures.describe(error), error);
		}
	}

}
