package io.grouprefunds.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * The sandbox's own endpoints, outside the providers' APIs: health, and what was applied for tests out of process
 * ({@code /sandbox/refunds} and {@code /sandbox/counters} for Rapyd, {@code /sandbox/issuer/...} for the issuer).
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
				default -> Responses.send(exchange, 404, Responses.JSON,
						"{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8));
			}
		}
	}

}
