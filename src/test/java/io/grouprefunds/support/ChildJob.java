package io.grouprefunds.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.grouprefunds.GroupRefundsApplication;

/**
 * The application as a separate JVM (same classpath as the tests), so a test can kill it for real: SIGKILL leaves
 * exactly what a crash leaves, SIGTERM exercises the graceful stop.
 */
public final class ChildJob {

	private ChildJob() {
	}

	/** Starts {@code group-refunds ARGS…}; its output is appended to {@code output}. */
	public static Process start(Path output, List<String> args) {
		return start(null, output, args, java.util.Map.of());
	}

	/** As {@link #start(Path, List)}, with these variables added to its environment (settings in their env form). */
	public static Process start(Path output, List<String> args, java.util.Map<String, String> environment) {
		return start(null, output, args, environment);
	}

	/**
	 * Starts {@code group-refunds ARGS…} in the working folder {@code workDir} (another host, as far as the job can
	 * tell: its own embedded data, logs and file locks), or in this one when null.
	 */
	public static Process start(Path workDir, Path output, List<String> args) {
		return start(workDir, output, args, java.util.Map.of());
	}

	private static Process start(Path workDir, Path output, List<String> args, java.util.Map<String, String> environment) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx256m");
		command.add("-XX:TieredStopAtLevel=1"); // short-lived JVMs: start fast rather than peak
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(GroupRefundsApplication.class.getName());
		command.addAll(args);
		try {
			ProcessBuilder builder = new ProcessBuilder(command).directory(workDir == null ? null : workDir.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
			builder.environment().putAll(environment);
			return builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot start the job process", ex);
		}
	}

}
