package io.grouprefunds.submit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The process was asked to stop (SIGTERM, Ctrl-C). Process-wide by nature, like the signal itself: the submit
 * writer sends nothing new once it is set, records what was in flight and ends the step STOPPED; other steps stop at
 * their next chunk through the actions registered here.
 */
public final class StopRequest {

	private static final AtomicBoolean requested = new AtomicBoolean();

	private static final List<Runnable> actions = new CopyOnWriteArrayList<>();

	private StopRequest() {
	}

	public static boolean isRequested() {
		return requested.get();
	}

	/** Sets the flag once and runs the registered actions. */
	public static void request() {
		if (requested.compareAndSet(false, true)) {
			actions.forEach(Runnable::run);
		}
	}

	/** An action to run when a stop is requested (e.g. ask the job operator to stop the running execution). */
	public static void onRequest(Runnable action) {
		actions.add(action);
	}

	/** Forgets the flag and actions: for a process that runs several commands (tests). */
	public static void reset() {
		requested.set(false);
		actions.clear();
	}

}
