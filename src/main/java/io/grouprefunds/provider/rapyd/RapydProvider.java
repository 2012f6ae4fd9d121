package io.grouprefunds.provider.rapyd;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Currency;
import java.util.Set;
import java.util.regex.Pattern;

import io.grouprefunds.provider.GroupState;
import io.grouprefunds.domain.ConfigurationException;
import io.grouprefunds.provider.RefundInstruction;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.provider.RowRules;
import io.grouprefunds.domain.SubmitOutcome;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Rapyd "Create Group Refund" ({@code POST /v1/refunds/group_payments}) and the group payment query used for
 * reconciliation ({@code GET /v1/payments/group_payments/{id}}).
 *
 * <p>The body is built once as exact bytes, signed, and those same bytes are sent; salt and timestamp are fresh on
 * every attempt because {@link #submit} signs when it is subscribed to.
 */
public class RapydProvider implements RefundProvider {

	static final String REFUND_PATH = "/v1/refunds/group_payments";

	static final String GROUP_PATH = "/v1/payments/group_payments/";

	private static final RowRules RULES = new RowRules(Pattern.compile("gp_[0-9a-f]{32}"),
			"a Rapyd group payment id: gp_ and 32 lowercase hex digits", false, Set.of());

	private final RapydProperties properties;

	private final WebClient webClient;

	private final JsonMapper json;

	private final RapydOutcomes outcomes;

	private final Clock clock;

	public RapydProvider(RapydProperties properties, WebClient webClient, JsonMapper json, Clock clock) {
		this.properties = properties;
		this.webClient = webClient;
		this.json = json;
		this.outcomes = new RapydOutcomes(json);
		this.clock = clock;
	}

	@Override
	public String name() {
		return "rapyd";
	}

	@Override
	public boolean idempotencyEnforced() {
		return properties.idempotencyEnforced();
	}

	@Override
	public RowRules rowRules() {
		return RULES;
	}

	@Override
	public void checkConfiguration() {
		if (isBlank(properties.accessKey()) || isBlank(properties.secretKey())) {
			throw new ConfigurationException("Rapyd keys are not set: set refunds.rapyd.access-key and "
					+ "refunds.rapyd.secret-key (environment REFUNDS_RAPYD_ACCESS_KEY, REFUNDS_RAPYD_SECRET_KEY)");
		}
		if (isBlank(properties.baseUrl()) || !properties.baseUrl().matches("https?://[^/]+/?")) {
			throw new ConfigurationException("refunds.rapyd.base-url must be scheme, host and port only, "
					+ "e.g. https://sandboxapi.rapyd.net (it was '" + properties.baseUrl() + "')");
		}
	}

	@Override
	public Mono<SubmitOutcome> submit(RefundInstruction instruction) {
		byte[] body = refundBody(instruction).getBytes(StandardCharsets.UTF_8);
		return Mono.defer(() -> signed("post", REFUND_PATH, body, instruction.idempotencyKey())
			.exchangeToMono(response -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map(text -> outcomes.fromResponse(response.statusCode().value(),
						response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER), text)))
			.onErrorResume(error -> Mono.just(outcomes.fromTransportError(error))));
	}

	@Override
	public String preview(RefundInstruction instruction) {
		return "POST " + stripSlash(properties.baseUrl()) + REFUND_PATH + " idempotency=" + instruction.idempotencyKey()
				+ " body=" + refundBody(instruction) + " (signed at send time: salt, timestamp, 88-char signature)";
	}

	@Override
	public Mono<GroupState> queryGroup(String groupId) {
		String path = GROUP_PATH + groupId;
		return Mono.defer(() -> signed("get", path, new byte[0], null).exchangeToMono(response -> response
			.bodyToMono(String.class)
			.defaultIfEmpty("")
			.flatMap(text -> groupState(response.statusCode().value(), text))));
	}

	/** Compact JSON exactly as Rapyd signs it: no spaces, no trailing zeros, no exponent. */
	String refundBody(RefundInstruction instruction) {
		StringBuilder body = new StringBuilder("{\"group_payment\":")
			.append(json.writeValueAsString(instruction.groupId()));
		instruction.amount().ifPresent(amount -> body.append(",\"amount\":").append(amount.toCompactString()));
		return body.append('}').toString();
	}

	private WebClient.RequestHeadersSpec<?> signed(String method, String path, byte[] body, String idempotencyKey) {
		String salt = RapydSigner.newSalt();
		long timestamp = clock.instant().getEpochSecond();
		String signature = RapydSigner.sign(method, path, salt, timestamp, properties.accessKey(),
				properties.secretKey(), new String(body, StandardCharsets.UTF_8));
		String url = stripSlash(properties.baseUrl()) + path;
		WebClient.RequestBodySpec request = ("get".equals(method) ? webClient.method(org.springframework.http.HttpMethod.GET)
				: webClient.method(org.springframework.http.HttpMethod.POST))
			.uri(url)
			.header("access_key", properties.accessKey())
			.header("salt", salt)
			.header("timestamp", Long.toString(timestamp))
			.header("signature", signature)
			.contentType(MediaType.APPLICATION_JSON);
		if (idempotencyKey != null) {
			request.header("idempotency", idempotencyKey);
		}
		return body.length == 0 ? request : request.bodyValue(body);
	}

	private Mono<GroupState> groupState(int httpStatus, String text) {
		JsonNode root;
		try {
			root = json.readTree(text.isBlank() ? "{}" : text);
		}
		catch (JacksonException ex) {
			// A gateway's HTML page (503 in an outage, a WAF's 429): not Rapyd's answer.
			root = json.missingNode();
		}
		if (httpStatus == 200 && "SUCCESS".equals(root.path("status").path("status").asString(""))) {
			JsonNode data = root.path("data");
			BigDecimal refunded = BigDecimal.ZERO;
			for (JsonNode payment : data.path("payments")) {
				refunded = refunded.add(payment.path("refunded_amount").decimalValue());
			}
			return Mono.just(new GroupState(true, Currency.getInstance(data.path("currency").asString()),
					data.path("amount").decimalValue(), refunded));
		}
		if (httpStatus == 404 || (httpStatus == 400 && "ERROR".equals(root.path("status").path("status").asString("")))) {
			return Mono.just(GroupState.notFound());
		}
		return Mono.error(new IllegalStateException("Rapyd group payment query answered HTTP " + httpStatus + " "
				+ root.path("status").path("error_code").asString("")));
	}

	private static String stripSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

	private static boolean isBlank(String value) {
		return value == null || value.isBlank();
	}

}
