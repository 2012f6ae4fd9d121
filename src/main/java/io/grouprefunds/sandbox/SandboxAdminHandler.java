package io.grouprefunds.sandbox;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.BiFunction;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * The sandbox's own endpoints, outside the providers' APIs and unsigned:
 * <ul>
 * <li>{@code GET /sandbox/health};</li>
 * <li>{@code GET /sandbox/refunds}: every refund part of every provider, the tests' ground truth
 * ({@code /sandbox/PROVIDER/refunds} for one);</li>
 * <li>{@code POST /sandbox/refunds/ID/complete}, {@code .../reject} and {@code POST /sandbox/refunds/settle-all}:
 * settle Pending parts now;</li>
 * <li>{@code GET /sandbox/PROVIDER/applied}, {@code /counters}, {@code /stats?window=MS} (rates and the busiest
 * window) and {@code /arrivals} (every refund request's arrival, µs from the first); without a provider, Rapyd's.</li>
 * </ul>
 */
final class SandboxAdminHandler implements HttpHandler {

	private static final String PREFIX = "/sandbox/";

	private static final String REFUNDS = PREFIX + "refunds/";

	/** Rapyd first: the one the unprefixed endpoints have always described. */
	private final List<SimulatedProvider> providers;

	private final AdminJson json;

	SandboxAdminHandler(List<SimulatedProvider> providers, AdminJson json) {
		this.providers = List.copyOf(providers);
		this.json = json;
	}

	@Override
	public void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			exchange.getRequestBody().readAllBytes();
			String method = exchange.getRequestMethod();
			String path = exchange.getRequestURI().getPath();
			String query = exchange.getRequestURI().getRawQuery();
			if (method.equals("POST") && path.startsWith(REFUNDS)) {
				settle(exchange, path.substring(REFUNDS.length()));
			}
			else if (method.equals("GET") && path.equals(PREFIX + "health")) {
				send(exchange, 200, json.health());
			}
			else if (method.equals("GET") && path.equals(PREFIX + "refunds")) {
				send(exchange, 200, json.refundParts(
						providers.stream().flatMap((provider) -> provider.refundParts().stream()).toList()));
			}
			else if (method.equals("GET")) {
				describe(exchange, path.substring(PREFIX.length()), query);
			}
			else {
				send(exchange, 404, json.error("not found"));
			}
		}
	}

	/** {@code [PROVIDER/]applied|counters|stats|arrivals}, or {@code PROVIDER/refunds}. */
	private void describe(HttpExchange exchange, String route, String query) throws IOException {
		int slash = route.indexOf('/');
		Optional<SimulatedProvider> provider = (slash < 0) ? Optional.of(providers.get(0))
				: providers.stream().filter((each) -> each.name().equals(route.substring(0, slash))).findFirst();
		String what = route.substring(slash + 1);
		if (provider.isEmpty()) {
			send(exchange, 404, json.error("no provider " + route.substring(0, slash)));
			return;
		}
		SimulatedProvider simulated = provider.get();
		switch (what) {
			case "applied" -> send(exchange, 200, json.appliedRefunds(simulated.appliedRefunds()));
			case "counters" -> send(exchange, 200, json.counters(simulated));
			case "stats" -> send(exchange, 200, json.stats(simulated.stats(Duration.ofMillis(windowMs(query)))));
			case "arrivals" -> send(exchange, 200, json.arrivals(simulated.arrivalNanos()));
			case "refunds" -> send(exchange, 200, json.refundParts(simulated.refundParts()));
			default -> send(exchange, 404, json.error("not found"));
		}
	}

	/** {@code settle-all}, or {@code ID/complete|reject}: 404 when no provider has the part, 409 when settled. */
	private void settle(HttpExchange exchange, String route) throws IOException {
		if (route.equals("settle-all")) {
			send(exchange, 200, json.settled(providers.stream().mapToInt(SimulatedProvider::settleAll).sum()));
			return;
		}
		int slash = route.lastIndexOf('/');
		BiFunction<SimulatedProvider, String, RefundPart> action = switch ((slash < 0) ? "" : route.substring(slash)) {
			case "/complete" -> SimulatedProvider::completeRefund;
			case "/reject" -> SimulatedProvider::rejectRefund;
			default -> null;
		};
		if (action == null) {
			send(exchange, 404, json.error("not found"));
			return;
		}
		String id = route.substring(0, slash);
		Optional<SimulatedProvider> owner = providers.stream()
			.filter((provider) -> provider.refundPart(id).isPresent())
			.findFirst();
		try {
			RefundPart part = action.apply(owner.orElseThrow(() -> new NoSuchElementException("no refund " + id)), id);
			send(exchange, 200, json.refundPart(part));
		}
		catch (NoSuchElementException ex) {
			send(exchange, 404, json.error(ex.getMessage()));
		}
		catch (IllegalStateException ex) {
			send(exchange, 409, json.error(ex.getMessage()));
		}
	}

	private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
		Responses.send(exchange, status, Responses.JSON, body);
	}

	/** {@code window=N} in the query, in milliseconds; one second by default. */
	private static long windowMs(String query) {
		if (query != null) {
			for (String parameter : query.split("&")) {
				if (parameter.startsWith("window=")) {
					try {
						return Math.max(1, Long.parseLong(parameter.substring("window=".length())));
					}
					catch (NumberFormatException ex) {
						return 1000;
					}
				}
			}
		}
		return 1000;
	}

}
