package io.grouprefunds.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grouprefunds.submit.StopRequest;

/**
 * SIGTERM or Ctrl-C while a command runs: ask the job to stop (requests in flight finish and are recorded, the
 * execution ends STOPPED), wait for the command to close its context, then exit with the command's own code rather
 * than the signal's, so cron and the nightly wrapper see "stopped, restartable".
 */
final class GracefulShutdown {

	private static final long MAX_WAIT_SECONDS = 120;

	private final CountDownLatch finished = new CountDownLatch(1);

	private final AtomicInteger exitCode = new AtomicInteger(io.grouprefunds.job.ExitCode.FAILED_RESTARTABLE.code());

	private final Thread hook = new Thread(this::onSignal, "graceful-shutdown");

	private GracefulShutdown() {
	}

	static GracefulShutdown install() {
		GracefulShutdown shutdown = new GracefulShutdown();
		Runtime.getRuntime().addShutdownHook(shutdown.hook);
		return shutdown;
	}

	/** The command is over: its context is closed; exit code known. */
	void done(int code) {
		exitCode.set(code);
		finished.countDown();
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		}
		catch (IllegalStateException shuttingDown) {
			// the hook is running and will exit with this code
		}
	}

	private void onSignal() {
		System.err.println("stop requested: finishing the requests in flight, then stopping (restartable)");
		StopRequest.request();
		try {
			finished.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		System.err.flush();
		System.out.flush();
		// halt, not exit: exit is already under way; halt makes the command's code the process's code.
		Runtime.getRuntime().halt(exitCode.get());
	}

}
