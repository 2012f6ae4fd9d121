package io.grouprefunds.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A gateway (think WAF) in front of the sandbox: it forwards every request unchanged, but after a set number of refund
 * POSTs it blocks the following ones with an HTML 403, as a gateway that stopped trusting us would. Rapyd never sees a
 * blocked request, so a block is a deterministic, restartable failure of the submit step at a chosen chunk.
 */
public final class GatewayProxy implements AutoCloseable {

	private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect",
			"upgrade", "transfer-encoding", "keep-alive");

	private final HttpServer server;

	private final ExecutorService executor = Executors.newFixedThreadPool(16, runnable -> {
		Thread thread = new Thread(runnable, "gateway-proxy");
		thread.setDaemon(true);
		return thread;
	});

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String target;

	private final AtomicInteger refundsAdmitted = new AtomicInteger();

	private final AtomicInteger refundsBlocked = new AtomicInteger();

	private volatile int refundLimit = Integer.MAX_VALUE;

	private volatile int tooManyRequestsRetryAfter = -1;

	private volatile long tooManyRequestsAnsweredNanos;

	public GatewayProxy(String targetBaseUrl) {
		this.target = targetBaseUrl.endsWith("/") ? targetBaseUrl.substring(0, targetBaseUrl.length() - 1)
				: targetBaseUrl;
		try {
			server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 }), 0),
					128);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		server.createContext("/", this::handle);
		server.setExecutor(executor);
		server.start();
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + server.getAddress().getPort();
	}

	/** Lets this many more refund POSTs through in total (counted from the start), then blocks the rest. */
	public void blockRefundsAfter(int refunds) {
		refundLimit = refunds;
	}

	public void allowAll() {
		refundLimit = Integer.MAX_VALUE;
	}

	public int refundsBlocked() {
		return refundsBlocked.get();
	}

	/**
	 * Answers the next refund POST with a 429 and {@code Retry-After: seconds}, as the provider's WAF would, without
	 * forwarding it.
	 */
	public void tooManyRequestsOnce(int seconds) {
		tooManyRequestsRetryAfter = seconds;
	}

	/** When ({@link System#nanoTime}) the 429 of {@link #tooManyRequestsOnce} was answered; 0 while not yet. */
	public long tooManyRequestsAnsweredNanos() {
		return tooManyRequestsAnsweredNanos;
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			byte[] body = exchange.getRequestBody().readAllBytes();
			boolean refund = "POST".equals(exchange.getRequestMethod());
			if (refund && refundsAdmitted.incrementAndGet() > refundLimit) {
				refundsAdmitted.decrementAndGet();
				refundsBlocked.incrementAndGet();
				byte[] page = "<html><body><h1>403 Forbidden</h1>Request blocked by the gateway.</body></html>"
					.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "text/html");
				exchange.sendResponseHeaders(403, page.length);
				exchange.getResponseBody().write(page);
				return;
			}
			if (refund && tooManyRequestsRetryAfter >= 0) {
				synchronized (this) {
					if (tooManyRequestsRetryAfter >= 0) {
						exchange.getResponseHeaders().set("Retry-After", Integer.toString(tooManyRequestsRetryAfter));
						tooManyRequestsRetryAfter = -1;
						exchange.sendResponseHeaders(429, -1);
						tooManyRequestsAnsweredNanos = System.nanoTime();
						return;
					}
				}
			}
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
				.timeout(Duration.ofSeconds(60))
				.method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
						: HttpRequest.BodyPublishers.ofByteArray(body));
			for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
				if (!NOT_FORWARDED.contains(header.getKey().toLowerCase())) {
					header.getValue().forEach(value -> request.header(header.getKey(), value));
				}
			}
			HttpResponse<byte[]> response;
			try {
				response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (IOException ex) {
				return; // closing without an answer, as the upstream did
			}
			for (String name : List.of("Content-Type", "Retry-After")) {
				response.headers().firstValue(name).ifPresent(value -> exchange.getResponseHeaders().set(name, value));
			}
			byte[] answer = response.body();
			exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
			if (answer.length > 0) {
				exchange.getResponseBody().write(answer);
			}
		}
	}

	@Override
	public void close() {
		server.stop(0);
		executor.shutdownNow();
	}

}
