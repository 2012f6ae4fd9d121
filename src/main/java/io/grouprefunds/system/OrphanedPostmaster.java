package io.grouprefunds.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what a killed process left in the embedded database's data directory, before a new server is started there.
 *
 * <p>The embedded PostgreSQL runs as a process of its own. When the JVM that started it is killed ({@code kill -9},
 * a crash) the server lives on, holding the directory (its {@code postmaster.pid}), and a new server cannot start
 * there: the next command failed with "gave up waiting for server to start". When no live process holds the
 * directory (zonky's {@code epg-lock} is free), a server still running there is such an orphan: it is shut down
 * (fast mode: its killed client's transactions are rolled back, as PostgreSQL does for a lost connection).
 */
final class OrphanedPostmaster {

	private static final Logger log = LoggerFactory.getLogger(OrphanedPostmaster.class);

	/** zonky's lock on the data directory, held by the JVM that owns the server while it runs. */
	static final String OWNER_LOCK = "epg-lock";

	private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);

	private OrphanedPostmaster() {
	}

	/**
	 * Stops a server left running in {@code dataDir} by a process that is gone. Does nothing when the directory is
	 * in use by a live process (it keeps its server) or holds no server.
	 */
	static void clear(Path dataDir) {
		Path pidFile = dataDir.resolve("postmaster.pid");
		if (!Files.exists(pidFile)) {
			return;
		}
		try (FileChannel channel = FileChannel.open(dataDir.resolve(OWNER_LOCK), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE); FileLock lock = tryLock(channel)) {
			if (lock == null) {
				return; // a live process owns the directory and its server
			}
			Optional<ProcessHandle> process = pid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
			if (process.isEmpty()) {
				return; // the server is gone too: PostgreSQL itself sees its pid file is stale
			}
			if (isPostgres(process.get(), dataDir)) {
				stop(process.get(), dataDir);
			}
			else {
				// Never remove the pid file of a server we cannot identify: two servers on one directory corrupt it.
				log.warn("{}/postmaster.pid names process {}, which is not known to be this directory's server; "
						+ "if it is not, delete that file", dataDir, process.get().pid());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot check the embedded database directory " + dataDir, ex);
		}
	}

	private static FileLock tryLock(FileChannel channel) throws IOException {
		try {
			return channel.tryLock();
		}
		catch (OverlappingFileLockException ex) {
			return null; // this JVM holds it already
		}
	}

	private static void stop(ProcessHandle server, Path dataDir) throws IOException {
		log.warn("an embedded PostgreSQL (pid {}) left running in {} by a process that ended without stopping it "
				+ "(killed?): stopping it before starting a new one", server.pid(), dataDir);
		// SIGINT: PostgreSQL's fast shutdown. ProcessHandle can only send SIGTERM (smart: waits for statements that
		// the dead client started) or SIGKILL (would leave shared memory and a crash recovery behind).
		boolean signalled = false;
		try {
			signalled = new ProcessBuilder("kill", "-INT", Long.toString(server.pid())).start().waitFor() == 0;
		}
		catch (IOException ex) {
			log.debug("kill -INT {}: {}", server.pid(), ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (!signalled) {
			server.destroy();
		}
		try {
			server.onExit().get(SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
			throw new IllegalStateException("the embedded PostgreSQL (pid " + server.pid() + ") left running in "
					+ dataDir + " did not stop within " + SHUTDOWN_WAIT.toSeconds() + " s; stop it, then run again");
		}
	}

	private static Optional<Long> pid(Path pidFile) {
		try {
			List<String> lines = Files.readAllLines(pidFile);
			return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
		}
		catch (IOException | NumberFormatException ex) {
			return Optional.empty(); // being written or garbled: not a server we can name
		}
	}

	/** The postmaster of this data directory, not a process that happens to have the pid again. */
	private static boolean isPostgres(ProcessHandle process, Path dataDir) {
		ProcessHandle.Info info = process.info();
		boolean postgres = info.command().map(command -> command.endsWith("/postgres")).orElse(false);
		// zonky starts it as "postgres -D <dir as given> ...", relative or not
		String absolute = dataDir.toAbsolutePath().normalize().toString();
		boolean here = info.arguments()
			.map(arguments -> String.join(" ", arguments))
			.map(line -> line.contains(absolute) || line.contains(dataDir.toString()))
			.orElse(false);
		return postgres && here;
	}

}
