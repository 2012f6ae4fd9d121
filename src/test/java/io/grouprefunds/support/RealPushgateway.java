package io.grouprefunds.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus Pushgateway (Debian's {@code prometheus-pushgateway}) on a free loopback port, in a process of its
 * own, with nothing persisted; and {@code promtool check metrics}. A test that needs one is skipped (an assumption)
 * on a machine that lacks the binary.
 */
public final class RealPushgateway implements AutoCloseable {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Process process;

	private final int port;

	private RealPushgateway(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/** Starts one and waits until it is ready; skips the test where the binary is absent. */
	public static RealPushgateway start(Path workDir) {
		Optional<Path> binary = onPath("prometheus-pushgateway", "pushgateway");
		assumeTrue(binary.isPresent(), "no prometheus-pushgateway binary (apt-get install prometheus-pushgateway)");
		for (int attempt = 1;; attempt++) {
			int port = freePort();
			try {
				Process process = new ProcessBuilder(binary.get().toString(), "--web.listen-address=127.0.0.1:" + port,
						"--persistence.file=", "--log.level=warn")
					.redirectErrorStream(true)
					.redirectOutput(workDir.resolve("pushgateway-" + port + ".log").toFile())
					.start();
				RealPushgateway pushgateway = new RealPushgateway(process, port);
				if (pushgateway.awaitReady()) {
					return pushgateway;
				}
				pushgateway.close();
				if (attempt == 3) {
					throw new IllegalStateException("the Pushgateway did not start: "
							+ Files.readString(workDir.resolve("pushgateway-" + port + ".log")));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	/** What {@code refunds.metrics.pushgateway.url} is set to. */
	public String url() {
		return "http://127.0.0.1:" + port;
	}

	/** Everything it exposes to Prometheus: the pushed groups, and its own meters. */
	public String scrape() {
		return get("/metrics");
	}

	/** {@code promtool check metrics} fed the text on stdin: its exit code and all it printed. */
	public static Promtool promtool(String text) {
		Optional<Path> binary = onPath("promtool");
		assumeTrue(binary.isPresent(), "no promtool binary (apt-get install prometheus)");
		try {
			Process process = new ProcessBuilder(binary.get().toString(), "check", "metrics").redirectErrorStream(true)
				.start();
			try (var in = process.getOutputStream()) {
				in.write(text.getBytes(StandardCharsets.UTF_8));
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("promtool did not finish");
			}
			return new Promtool(process.exitValue(), output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** What promtool said. */
	public record Promtool(int exitCode, String output) {
	}

	@Override
	public void close() {
		process.destroy();
		try {
			if (!process.waitFor(5, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private boolean awaitReady() {
		Instant deadline = Instant.now().plusSeconds(15);
		while (Instant.now().isBefore(deadline) && process.isAlive()) {
			try {
				HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.discarding());
				if (ready.statusCode() == 200) {
					return true;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return false;
	}

	private String get(String path) {
		try {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url() + path))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("GET " + path + ": HTTP " + response.statusCode());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Optional<Path> onPath(String... names) {
		List<String> dirs = Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")),
				Stream.of("/usr/bin", "/usr/local/bin"))
			.filter(dir -> !dir.isBlank())
			.toList();
		for (String name : names) {
			for (String dir : dirs) {
				Path candidate = Path.of(dir, name);
				if (Files.isExecutable(candidate)) {
					return Optional.of(candidate);
				}
			}
		}
		return Optional.empty();
	}

}
