package io.grouprefunds.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider sandbox: a real HTTP server on 127.0.0.1 that simulates Rapyd ({@code /v1/...}) and the card issuer
 * ({@code /api/...}), with real signature checks, real balances, injectable faults and refunds that settle later.
 * What it applied is the ground truth the tests check the ledger against. The providers are found as
 * {@link ProviderSimulation}s, so this class names none of them.
 */
public final class SandboxServer implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(SandboxServer.class);

	private static final byte[] LOOPBACK = { 127, 0, 0, 1 };

	private static final String RAPYD = "rapyd";

	private static final String ISSUER = "issuer";

	private final HttpServer server;

	private final ExecutorService executor;

	/** By name, in the order of {@code META-INF/services}: Rapyd first. */
	private final Map<String, ProviderSimulation.Mounted> providers;

	private final AtomicBoolean closed = new AtomicBoolean();

	private SandboxServer(HttpServer server, ExecutorService executor,
			Map<String, ProviderSimulation.Mounted> providers) {
		this.server = server;
		this.executor = executor;
		this.providers = providers;
	}

	/** Starts listening; {@link #port()} tells the port when the settings asked for 0. */
	public static SandboxServer start(SandboxSettings settings) {
		// The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm and the client's
		// delayed ACK hold the body back ~40 ms, which would look like provider latency. Read once, when the first
		// server starts.
		if (System.getProperty("sun.net.httpserver.nodelay") == null) {
			System.setProperty("sun.net.httpserver.nodelay", "true");
		}
		Map<String, ProviderSimulation.Mounted> providers = new LinkedHashMap<>();
		for (ProviderSimulation simulation : ServiceLoader.load(ProviderSimulation.class,
				ProviderSimulation.class.getClassLoader())) {
			ProviderSimulation.Mounted mounted = simulation.mount(settings);
			providers.put(mounted.provider().name(), mounted);
		}
		HttpServer server;
		try {
			// A backlog above the thread count, so a burst of concurrent clients queues instead of being refused.
			server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(LOOPBACK), settings.port()),
					Math.max(128, settings.threads() * 2));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot listen on 127.0.0.1:" + settings.port(), ex);
		}
		providers.values().forEach((mounted) -> server.createContext(mounted.contextPath(), mounted.handler()));
		List<SimulatedProvider> simulated = providers.values()
			.stream()
			.<SimulatedProvider>map(ProviderSimulation.Mounted::provider)
			.toList();
		server.createContext("/sandbox/", new SandboxAdminHandler(simulated, new AdminJson()));
		// A pool, not the server's single default thread: injected latency must not serialize requests.
		ExecutorService executor = Executors.newFixedThreadPool(settings.threads(), daemonThreads());
		server.setExecutor(executor);
		server.start();
		SandboxServer sandbox = new SandboxServer(server, executor, providers);
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
		return baseUrl(RAPYD);
	}

	public SimulatedRapyd rapyd() {
		return (SimulatedRapyd) provider(RAPYD);
	}

	/** The base URL a card issuer client appends {@code /group/refund} to. */
	public String issuerBaseUrl() {
		return baseUrl(ISSUER);
	}

	public SimulatedIssuer issuer() {
		return (SimulatedIssuer) provider(ISSUER);
	}

	/** The names of the providers this sandbox simulates. */
	public List<String> providerNames() {
		return List.copyOf(providers.keySet());
	}

	/** The simulated provider of this name. */
	public SimulatedProvider provider(String name) {
		return mounted(name).provider();
	}

	/** Every refund part of every simulated provider, Rapyd's first, each in creation order: the final truth. */
	public List<RefundPart> refundParts() {
		return providers.values().stream().flatMap((mounted) -> mounted.provider().refundParts().stream()).toList();
	}

	/** The provider that created the refund part with this id, if any. */
	public Optional<SimulatedProvider> providerOfRefund(String refundId) {
		return providers.values()
			.stream()
			.<SimulatedProvider>map(ProviderSimulation.Mounted::provider)
			.filter((provider) -> provider.refundPart(refundId).isPresent())
			.findFirst();
	}

	/** Settles every Pending part of every provider now, each as its plan says; the number settled. */
	public int settleAll() {
		return providers.values().stream().mapToInt((mounted) -> mounted.provider().settleAll()).sum();
	}

	/**
	 * The job's settings that point a provider's adapter at this sandbox: base URL and the sandbox's keys, as
	 * {@code refunds.<provider>.*} properties. Lets a caller switch to the sandbox knowing only the provider's name.
	 */
	public Map<String, String> clientSettings(String name) {
		ProviderSimulation.Mounted mounted = mounted(name);
		Map<String, String> client = new LinkedHashMap<>();
		client.put("refunds." + name + ".base-url", baseUrl(name));
		client.putAll(mounted.clientKeys());
		return client;
	}

	private String baseUrl(String name) {
		return "http://127.0.0.1:" + port() + mounted(name).basePath();
	}

	private ProviderSimulation.Mounted mounted(String name) {
		ProviderSimulation.Mounted mounted = providers.get(name);
		if (mounted == null) {
			throw new IllegalArgumentException("unknown provider '" + name + "' for the sandbox; it simulates "
					+ String.join(" and ", providers.keySet()));
		}
		return mounted;
	}

	/** Stops listening and drops requests in progress; calling it again does nothing. */
	@Override
	public void close() {
		if (closed.compareAndSet(false, true)) {
			server.stop(0);
			executor.shutdownNow();
			int requests = providers.values().stream().mapToInt((mounted) -> mounted.provider().requestCount()).sum();
			int applied = providers.values().stream().mapToInt((mounted) -> mounted.provider().appliedCount()).sum();
			log.info("Sandbox on port {} stopped after {} refund requests, {} refunds applied", port(), requests,
					applied);
		}
	}

}
