package io.grouprefunds.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.grouprefunds.sandbox.faults.FaultDecision;
import io.grouprefunds.sandbox.faults.FaultKind;

/**
 * Plays the faults drawn for one request ({@link FaultDecision}) on the wire, for {@link ProviderHandler}: the delay,
 * the outages and 429s answered in front of the provider, and what becomes of the answer to a refund once it is
 * applied. Each provider gives its own JSON for the answers that are in its format.
 */
final class InjectedFaults {

	private static final byte[] TOO_MANY_REQUESTS_PAGE = page("429 Too Many Requests");

	private static final byte[] BAD_GATEWAY_PAGE = page("502 Bad Gateway");

	private static final byte[] SERVICE_UNAVAILABLE_PAGE = page("503 Service Unavailable");

	private static final Logger log = LoggerFactory.getLogger(InjectedFaults.class);

	private InjectedFaults() {
	}

	static void delay(AbstractSimulatedProvider provider, FaultDecision faults) throws InterruptedException {
		if (faults.latencyMs() > 0) {
			provider.countFault(FaultKind.LATENCY);
			Thread.sleep(faults.latencyMs());
		}
	}

	/**
	 * Outages and 429s: answered by what stands in front of the provider, so possibly not in its format.
	 * @param tooManyRequestsJson the provider's own 429 body, sent unless the faults ask for a WAF's HTML page
	 */
	static void sendGatewayFault(HttpExchange exchange, AbstractSimulatedProvider provider, FaultDecision faults,
			Supplier<byte[]> tooManyRequestsJson) throws IOException {
		FaultKind kind = faults.beforeApply();
		provider.countFault(kind);
		if (kind == FaultKind.OUTAGE) {
			Responses.send(exchange, 503, Responses.HTML, SERVICE_UNAVAILABLE_PAGE);
			return;
		}
		if (faults.faults().retryAfterSeconds() != null) {
			exchange.getResponseHeaders().set("Retry-After", String.valueOf(faults.faults().retryAfterSeconds()));
		}
		if (faults.faults().htmlTooManyRequests()) {
			Responses.send(exchange, 429, Responses.HTML, TOO_MANY_REQUESTS_PAGE);
		}
		else {
			Responses.send(exchange, 429, Responses.JSON, tooManyRequestsJson.get());
		}
	}

	/**
	 * Answers a refund that was applied: with {@code success}, or with the fault drawn for after applying (a 500 in
	 * the provider's format, a gateway's 502, a late answer, or none at all).
	 */
	static void answerApplied(HttpExchange exchange, AbstractSimulatedProvider provider, FaultDecision faults,
			byte[] success, Supplier<byte[]> serverErrorJson, String reference) throws IOException, InterruptedException {
		FaultKind after = faults.afterApply();
		if (after == null) {
			Responses.send(exchange, 200, Responses.JSON, success);
			return;
		}
		provider.countFault(after);
		log.info("Sandbox injects {} on operation {}", after, reference);
		switch (after) {
			case ERROR_AFTER_APPLY -> {
				if (faults.errorStatus() == 502) {
					Responses.send(exchange, 502, Responses.HTML, BAD_GATEWAY_PAGE);
				}
				else {
					Responses.send(exchange, 500, Responses.JSON, serverErrorJson.get());
				}
			}
			case SLOW_AFTER_APPLY -> {
				Thread.sleep(faults.faults().slowAfterApplyMs());
				Responses.send(exchange, 200, Responses.JSON, success);
			}
			case DROP_AFTER_APPLY -> {
				// No answer at all: the handler closes the exchange, and with it the connection.
			}
			default -> throw new IllegalStateException("not a fault after applying: " + after);
		}
	}

	private static byte[] page(String title) {
		return ("<html><head><title>" + title + "</title></head><body><h1>" + title + "</h1></body></html>")
			.getBytes(StandardCharsets.UTF_8);
	}

}
