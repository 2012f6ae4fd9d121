package io.grouprefunds.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * The sandbox's own endpoints, outside the providers' APIs: health, and what was applied for tests out of process
 * ({@code /sandbox/refunds} and {@code /sandbox/counters} for Rapyd, {@code /sandbox/issuer/...} for the issuer).
 * {@code /sandbox/stats?window=1000} sums up Rapyd's rates and the busiest window (ms); {@code /sandbox/arrivals}
 * lists every Rapyd refund request's arrival time in microseconds from the first.
 */
final class SandboxAdminHandler implements HttpHandler {

	private final RapydSandbox rapyd;

	private final IssuerSandbox issuer;

	private final RapydJson json;

	SandboxAdminHandler(RapydSandbox rapyd, IssuerSandbox issuer, RapydJson json) {
		this.rapyd = rapyd;
		this.issuer = issuer;
		this.json = json;
	}

	@Override
	public void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			exchange.getRequestBody().readAllBytes();
			String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
			switch (route) {
				case "GET /sandbox/health" -> Responses.send(exchange, 200, Responses.JSON,
						"{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8));
				case "GET /sandbox/refunds" ->
					Responses.send(exchange, 200, Responses.JSON, json.appliedRefunds(rapyd.appliedRefunds()));
				case "GET /sandbox/counters" -> Responses.send(exchange, 200, Responses.JSON, json.counters(rapyd));
				case "GET /sandbox/issuer/refunds" ->
					Responses.send(exchange, 200, Responses.JSON, json.appliedRefunds(issuer.appliedRefunds()));
				case "GET /sandbox/issuer/counters" ->
					Responses.send(exchange, 200, Responses.JSON, json.counters(issuer));
				case "GET /sandbox/stats" -> Responses.send(exchange, 200, Responses.JSON,
						json.stats(rapyd.stats(Duration.ofMillis(windowMs(exchange.getRequestURI().getRawQuery())))));
				case "GET /sandbox/arrivals" ->
					Responses.send(exchange, 200, Responses.JSON, json.arrivals(rapyd.arrivalNanos()));
				default -> Responses.send(exchange, 404, Responses.JSON,
						"{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8));
			}
		}
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
