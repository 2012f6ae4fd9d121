package io.grouprefunds.sandbox;

import java.util.UUID;

import java.io.IOException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.grouprefunds.sandbox.faults.FaultDecision;
import io.grouprefunds.sandbox.faults.FaultKind;

/**
 * The one flow every simulated provider's API goes through:
 * read the body → route → delay, and the outages and 429s answered in front of the provider (as a gateway or WAF
 * would, before any check) → authenticate → an error before applying → apply → what the faults do to the answer
 * after applying → write it. A call that creates no refund meets only latency and outages. A subclass gives its
 * routes, its authentication and its JSON; its rules throw a {@link ProviderException}, answered in its format.
 */
public abstract class ProviderHandler implements HttpHandler {

	private static final Logger log = LoggerFactory.getLogger(ProviderHandler.class);

	private final AbstractSimulatedProvider provider;

	protected ProviderHandler(AbstractSimulatedProvider provider) {
		this.provider = provider;
	}

	/**
	 * One request being served.
	 * @param reference the operation id the provider gives every answer (Rapyd), or one for the sandbox's log
	 */
	protected record Call(HttpExchange exchange, byte[] body, String reference) {

		public String method() {
			return exchange.getRequestMethod();
		}

		public String path() {
			return exchange.getRequestURI().getRawPath();
		}

	}

	/**
	 * What a path serves.
	 * @param createsRefund whether it creates a refund: then every fault may happen, else only latency and outages
	 * @param endpoint the answer once the call is authenticated
	 */
	protected record Route(boolean createsRefund, Endpoint endpoint) {

		public static Route refund(Endpoint endpoint) {
			return new Route(true, endpoint);
		}

		public static Route query(Endpoint endpoint) {
			return new Route(false, endpoint);
		}

	}

	/** Serves an authenticated call: applies a refund, or reads. */
	@FunctionalInterface
	protected interface Endpoint {

		/** @throws ProviderException when the provider refuses it; then nothing is applied */
		Answer serve(Call call);

	}

	/**
	 * A success body (HTTP 200).
	 * @param reference what the sandbox's log names the operation by when a fault strikes its answer
	 */
	public record Answer(byte[] body, String reference) {
	}

	/** A new reference for a call, made before anything else so even a refused call has one. */
	protected String newReference() {
		return UUID.randomUUID().toString();
	}

	/** @throws ProviderException when the provider serves no such path (answered without faults) */
	protected abstract Route route(Call call);

	/** The idempotency key a refund call carries, as the provider reads it; null when it has none. */
	protected abstract String idempotencyKey(Call call);

	private String idempotencyKeyOf(Call call) {
		try {
			return idempotencyKey(call);
		}
		catch (RuntimeException ex) {
			return null; // a body the provider cannot read: it refuses the call later, counted without a key
		}
	}

	/** Checks the call's credentials or signature. @throws ProviderException when they are wrong */
	protected abstract void authenticate(Call call);

	/** The provider's own error body for a refusal. */
	protected abstract byte[] errorJson(Call call, ProviderException error);

	/** The provider's own HTTP 500 body. */
	protected abstract byte[] internalErrorJson(Call call, String message);

	/** The provider's own HTTP 429 body (a WAF's HTML page is sent instead when the faults ask for one). */
	protected abstract byte[] tooManyRequestsJson(Call call);

	@Override
	public final void handle(HttpExchange exchange) {
		Call call = new Call(exchange, new byte[0], newReference());
		try {
			call = new Call(exchange, exchange.getRequestBody().readAllBytes(), call.reference());
			serve(call);
		}
		catch (IOException ex) {
			log.debug("Sandbox could not answer {} {}: {}", call.method(), call.path(), ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			log.error("Sandbox failed on {} {} (operation {})", call.method(), call.path(), call.reference(), ex);
			answerBug(call);
		}
		finally {
			// Closing an exchange that sent no response header closes the connection: that is how a drop is made.
			exchange.close();
		}
	}

	private void serve(Call call) throws IOException, InterruptedException {
		Route route;
		try {
			route = route(call);
		}
		catch (ProviderException ex) {
			sendError(call, ex);
			return;
		}
		FaultDecision faults = route.createsRefund() ? provider.nextRefundFaults(idempotencyKeyOf(call))
				: provider.nextQueryFaults();
		InjectedFaults.delay(provider, faults);
		FaultKind before = faults.beforeApply();
		if (before != null && before != FaultKind.ERROR_BEFORE_APPLY) {
			InjectedFaults.sendGatewayFault(call.exchange(), provider, faults, () -> tooManyRequestsJson(call));
			return;
		}
		try {
			authenticate(call);
			if (before == FaultKind.ERROR_BEFORE_APPLY) {
				provider.countFault(before);
				Responses.send(call.exchange(), 500, Responses.JSON,
						internalErrorJson(call, "internal error; nothing was done"));
				return;
			}
			Answer answer = route.endpoint().serve(call);
			if (route.createsRefund()) {
				InjectedFaults.answerApplied(call.exchange(), provider, faults, answer.body(),
						() -> internalErrorJson(call, "internal error"), answer.reference());
			}
			else {
				Responses.send(call.exchange(), 200, Responses.JSON, answer.body());
			}
		}
		catch (ProviderException ex) {
			sendError(call, ex);
		}
	}

	private void sendError(Call call, ProviderException error) throws IOException {
		log.info("Sandbox refused {} {}: {} {} (operation {})", call.method(), call.path(), error.code(),
				error.getMessage(), call.reference());
		Responses.send(call.exchange(), error.httpStatus(), Responses.JSON, errorJson(call, error));
	}

	/** A sandbox bug answers 500 when it still can, so it is not mistaken for an injected drop. */
	private void answerBug(Call call) {
		try {
			Responses.send(call.exchange(), 500, Responses.JSON, internalErrorJson(call, "sandbox error; see its log"));
		}
		catch (IOException | RuntimeException ex) {
			log.debug("Sandbox could not report its error on operation {}: {}", call.reference(), ex.getMessage());
		}
	}

}
