package io.grouprefunds.submit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The process was asked to stop (SIGTERM, Ctrl-C, or the stop time came: {@link StopTimeListener}). Process-wide by nature, like the signal itself: the submit
 * writer sends nothing new once it is set, records what was in flight and ends the step STOPPED; other steps stop at
 * their next chunk through the actions registered here.
 */
public final class StopRequest {

	private static final AtomicBoolean requested = new AtomicBoolean();

	private static final List<Runnable> actions = new CopyOnWriteArrayList<>();

	private static final String ON_REQUEST = "stopped on request";

	private static volatile String reason = ON_REQUEST;

	private StopRequest() {
	}

	public static boolean isRequested() {
		return requested.get();
	}

	/** Sets the flag once and runs the registered actions. */
	public static void request() {
		request(ON_REQUEST);
	}

	/**
	 * The same stop, for a reason other than a signal (the stop time came); the first request's reason is the one
	 * told.
	 */
	public static void request(String why) {
		if (requested.compareAndSet(false, true)) {
			reason = why;
			actions.forEach(Runnable::run);
		}
	}

	/** Why the process was asked to stop, for the end of the run's message: {@code stopped on request} for a signal. */
	public static String reason() {
		return reason;
	}

	/** An action to run when a stop is requested (e.g. ask the job operator to stop the running execution). */
	public static void onRequest(Runnable action) {
		actions.add(action);
	}

	/** Forgets the flag and actions: for a process that runs several commands (tests). */
	public static void reset() {
		requested.set(false);
		reason = ON_REQUEST;
		actions.clear();
	}

}
