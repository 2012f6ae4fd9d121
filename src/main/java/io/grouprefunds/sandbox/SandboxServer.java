package io.grouprefunds.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider sandbox: a real HTTP server on 127.0.0.1 that simulates Rapyd ({@code /v1/...}) and the card issuer
 * ({@code /api/...}), with real signature checks, real balances and injectable faults. What it applied is the
 * ground truth the tests check the ledger against.
 */
public final class SandboxServer implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(SandboxServer.class);

	private static final byte[] LOOPBACK = { 127, 0, 0, 1 };

	private final HttpServer server;

	private final ExecutorService executor;

	private final RapydSandbox rapyd;

	private final IssuerSandbox issuer;

	private final SandboxSettings settings;

	private final AtomicBoolean closed = new AtomicBoolean();

	private SandboxServer(HttpServer server, ExecutorService executor, RapydSandbox rapyd, IssuerSandbox issuer,
			SandboxSettings settings) {
		this.server = server;
		this.executor = executor;
		this.rapyd = rapyd;
		this.issuer = issuer;
		this.settings = settings;
	}

	/** Starts listening; {@link #port()} tells the port when the settings asked for 0. */
	public static SandboxServer start(SandboxSettings settings) {
		// The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm and the client's
		// delayed ACK hold the body back ~40 ms, which would look like provider latency. Read once, when the first
		// server starts.
		if (System.getProperty("sun.net.httpserver.nodelay") == null) {
			System.setProperty("sun.net.httpserver.nodelay", "true");
		}
		RapydSandbox rapyd = new RapydSandbox(settings.faults(), settings.lifecycle(), settings.clock());
		IssuerSandbox issuer = new IssuerSandbox(settings.faults(), settings.lifecycle(), settings.clock());
		RapydJson json = new RapydJson();
		HttpServer server;
		try {
			// A backlog above the thread count, so a burst of concurrent clients queues instead of being refused.
			server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(LOOPBACK), settings.port()),
					Math.max(128, settings.threads() * 2));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot listen on 127.0.0.1:" + settings.port(), ex);
		}
		server.createContext("/v1/",
				new RapydHandler(rapyd, settings.rapydAccessKey(), settings.rapydSecretKey(), json));
		server.createContext(IssuerHandler.BASE_PATH + "/",
				new IssuerHandler(issuer, settings.issuer(), new IssuerJson()));
		server.createContext("/sandbox/", new SandboxAdminHandler(rapyd, issuer, json, new AdminJson()));
		// A pool, not the server's single default thread: injected latency must not serialize requests.
		ExecutorService executor = Executors.newFixedThreadPool(settings.threads(), daemonThreads());
		server.setExecutor(executor);
		server.start();
		SandboxServer sandbox = new SandboxServer(server, executor, rapyd, issuer, settings);
		log.info("Sandbox listening on {} (Rapyd) and {} (card issuer), {} threads", sandbox.rapydBaseUrl(),
				sandbox.issuerBaseUrl(), settings.threads());
		return sandbox;
	}

	/** Daemon threads, so a sandbox left open does not keep the JVM alive. */
	private static ThreadFactory daemonThreads() {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, "sandbox-http-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	public int port() {
		return server.getAddress().getPort();
	}

	/** The base URL a Rapyd client appends {@code /v1/...} to. */
	public String rapydBaseUrl() {
		return "http://127.0.0.1:" + port();
	}

	public RapydSandbox rapyd() {
		return rapyd;
	}

	/** The base URL a card issuer client appends {@code /group/refund} to. */
	public String issuerBaseUrl() {
		return "http://127.0.0.1:" + port() + IssuerHandler.BASE_PATH;
	}

	public IssuerSandbox issuer() {
		return issuer;
	}

	/** The names of the providers this sandbox simulates. */
	public List<String> providerNames() {
		return List.of(rapyd.name(), issuer.name());
	}

	/** The simulated provider of this name. */
	public SimulatedProvider provider(String name) {
		return switch (name) {
			case "rapyd" -> rapyd;
			case IssuerSandbox.NAME -> issuer;
			default -> throw new IllegalArgumentException("unknown provider '" + name + "' for the sandbox; it "
					+ "simulates rapyd and " + IssuerSandbox.NAME);
		};
	}

	/** Every refund part of every simulated provider, Rapyd's first, each in creation order: the final truth. */
	public List<RefundPart> refundParts() {
		return Stream.of(rapyd, issuer).flatMap((provider) -> provider.refundParts().stream()).toList();
	}

	/** The provider that created the refund part with this id, if any. */
	public Optional<SimulatedProvider> providerOfRefund(String refundId) {
		return Stream.<SimulatedProvider>of(rapyd, issuer)
			.filter((provider) -> provider.refundPart(refundId).isPresent())
			.findFirst();
	}

	/** Settles every Pending part of every provider now, each as its plan says; the number settled. */
	public int settleAll() {
		return rapyd.settleAll() + issuer.settleAll();
	}

	/**
	 * The job's settings that point a provider's adapter at this sandbox: base URL and the sandbox's keys, as
	 * {@code refunds.<provider>.*} properties. Lets a caller switch to the sandbox knowing only the provider's name.
	 */
	public Map<String, String> clientSettings(String name) {
		Map<String, String> client = new LinkedHashMap<>();
		switch (provider(name).name()) {
			case "rapyd" -> {
				client.put("refunds.rapyd.base-url", rapydBaseUrl());
				client.put("refunds.rapyd.access-key", settings.rapydAccessKey());
				client.put("refunds.rapyd.secret-key", settings.rapydSecretKey());
			}
			case IssuerSandbox.NAME -> {
				client.put("refunds.issuer.base-url", issuerBaseUrl());
				client.put("refunds.issuer.company-id", settings.issuer().companyId());
				client.put("refunds.issuer.api-key", settings.issuer().apiKey());
			}
			default -> throw new IllegalStateException("no client settings for " + name);
		}
		return client;
	}

	/** Stops listening and drops requests in progress; calling it again does nothing. */
	@Override
	public void close() {
		if (closed.compareAndSet(false, true)) {
			server.stop(0);
			executor.shutdownNow();
			log.info("Sandbox on port {} stopped after {} refund requests, {} refunds applied", port(),
					rapyd.requestCount() + issuer.requestCount(), rapyd.appliedCount() + issuer.appliedCount());
		}
	}

}
