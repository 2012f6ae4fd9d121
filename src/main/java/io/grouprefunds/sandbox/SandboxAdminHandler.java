package io.grouprefunds.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.BiFunction;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * The sandbox's own endpoints, outside the providers' APIs and unsigned: health; the refund parts of both providers,
 * the tests' ground truth ({@code GET /sandbox/refunds[?provider=rapyd|issuer]}); settling Pending parts by hand
 * ({@code POST /sandbox/refunds/{id}/complete|reject}, {@code POST /sandbox/refunds/settle-all}); the refund
 * requests each provider accepted ({@code /sandbox/applied} for Rapyd, {@code /sandbox/issuer/refunds}) and its
 * counters ({@code /sandbox/counters}, {@code /sandbox/issuer/counters}). {@code /sandbox/stats?window=1000} sums up
 * Rapyd's rates and the busiest window (ms); {@code /sandbox/arrivals} lists every Rapyd refund request's arrival
 * time in microseconds from the first.
 */
final class SandboxAdminHandler implements HttpHandler {

	private static final String REFUNDS = "/sandbox/refunds/";

	private final RapydSandbox rapyd;

	private final IssuerSandbox issuer;

	private final RapydJson json;

	private final AdminJson admin;

	SandboxAdminHandler(RapydSandbox rapyd, IssuerSandbox issuer, RapydJson json, AdminJson admin) {
		this.rapyd = rapyd;
		this.issuer = issuer;
		this.json = json;
		this.admin = admin;
	}

	@Override
	public void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			exchange.getRequestBody().readAllBytes();
			String method = exchange.getRequestMethod();
			String path = exchange.getRequestURI().getPath();
			String query = exchange.getRequestURI().getRawQuery();
			switch (method + " " + path) {
				case "GET /sandbox/health" -> Responses.send(exchange, 200, Responses.JSON,
						"{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8));
				case "GET /sandbox/refunds" -> Responses.send(exchange, 200, Responses.JSON,
						admin.refundParts(parts(parameter(query, "provider"))));
				case "POST /sandbox/refunds/settle-all" -> Responses.send(exchange, 200, Responses.JSON,
						admin.settled(rapyd.settleAll() + issuer.settleAll()));
				case "GET /sandbox/applied" ->
					Responses.send(exchange, 200, Responses.JSON, json.appliedRefunds(rapyd.appliedRefunds()));
				case "GET /sandbox/counters" -> Responses.send(exchange, 200, Responses.JSON, json.counters(rapyd));
				case "GET /sandbox/issuer/refunds" ->
					Responses.send(exchange, 200, Responses.JSON, json.appliedRefunds(issuer.appliedRefunds()));
				case "GET /sandbox/issuer/counters" ->
					Responses.send(exchange, 200, Responses.JSON, json.counters(issuer));
				case "GET /sandbox/stats" -> Responses.send(exchange, 200, Responses.JSON,
						json.stats(rapyd.stats(Duration.ofMillis(windowMs(query)))));
				case "GET /sandbox/arrivals" ->
					Responses.send(exchange, 200, Responses.JSON, json.arrivals(rapyd.arrivalNanos()));
				default -> {
					if (method.equals("POST") && path.startsWith(REFUNDS) && path.endsWith("/complete")) {
						settle(exchange, path, "/complete", SimulatedProvider::completeRefund);
					}
					else if (method.equals("POST") && path.startsWith(REFUNDS) && path.endsWith("/reject")) {
						settle(exchange, path, "/reject", SimulatedProvider::rejectRefund);
					}
					else {
						Responses.send(exchange, 404, Responses.JSON, admin.error("not found"));
					}
				}
			}
		}
	}

	private List<RefundPart> parts(String provider) {
		return switch ((provider == null) ? "" : provider) {
			case "" -> List.of(rapyd, issuer).stream().flatMap((each) -> each.refundParts().stream()).toList();
			case "rapyd" -> rapyd.refundParts();
			case IssuerSandbox.NAME -> issuer.refundParts();
			default -> List.of();
		};
	}

	/** Completes or rejects the Pending part named in the path: 404 when no provider has it, 409 when settled. */
	private void settle(HttpExchange exchange, String path, String suffix,
			BiFunction<SimulatedProvider, String, RefundPart> action) throws IOException {
		String id = path.substring(REFUNDS.length(), path.length() - suffix.length());
		Optional<SimulatedProvider> owner = List.<SimulatedProvider>of(rapyd, issuer)
			.stream()
			.filter((provider) -> provider.refundPart(id).isPresent())
			.findFirst();
		if (owner.isEmpty()) {
			Responses.send(exchange, 404, Responses.JSON, admin.error("no refund " + id));
			return;
		}
		try {
			Responses.send(exchange, 200, Responses.JSON, admin.refundPart(action.apply(owner.get(), id)));
		}
		catch (NoSuchElementException ex) {
			Responses.send(exchange, 404, Responses.JSON, admin.error(ex.getMessage()));
		}
		catch (IllegalStateException ex) {
			Responses.send(exchange, 409, Responses.JSON, admin.error(ex.getMessage()));
		}
	}

	/** {@code name=value} in the query, or {@code null}. */
	private static String parameter(String query, String name) {
		if (query != null) {
			for (String parameter : query.split("&")) {
				if (parameter.startsWith(name + "=")) {
					return parameter.substring(name.length() + 1);
				}
			}
		}
		return null;
	}

	/** {@code window=N} in the query, in milliseconds; one second by default. */
	private static long windowMs(String query) {
		String window = parameter(query, "window");
		if (window == null) {
			return 1000;
		}
		try {
			return Math.max(1, Long.parseLong(window));
		}
		catch (NumberFormatException ex) {
			return 1000;
		}
	}

}
