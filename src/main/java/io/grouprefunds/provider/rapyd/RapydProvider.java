package io.grouprefunds.provider.rapyd;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.grouprefunds.domain.RefundPart;
import io.grouprefunds.provider.GroupState;
import io.grouprefunds.provider.RecentParts;
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

	static final String PART_PATH = "/v1/refunds/";

	/** Groups whose refund objects are remembered (see {@link RecentParts}); far more than are ever in flight. */
	private static final int RECENT_GROUPS = 20_000;

	private static final RowRules RULES = new RowRules(Pattern.compile("gp_[0-9a-f]{32}"),
			"a Rapyd group payment id: gp_ and 32 lowercase hex digits", false, Set.of());

	private final RapydProperties properties;

	private final WebClient webClient;

	private final JsonMapper json;

	private final RapydOutcomes outcomes;

	private final Clock clock;

	private final RecentParts recent = new RecentParts(RECENT_GROUPS);

	/** The base URL is checked after construction ({@link #checkConfiguration}), so the URL is made on first use. */
	private volatile URI refundUri;

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

	/** The access key (not the secret): the account Rapyd counts our requests against. */
	@Override
	public String account() {
		return properties.accessKey() == null ? "" : properties.accessKey();
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
				.map(text -> classify(instruction, response.statusCode().value(),
						response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER), text)))
			.onErrorResume(error -> Mono.just(outcomes.fromTransportError(error))));
	}

	/** The answer's refund objects not seen on the group before are this request's candidates. */
	private SubmitOutcome classify(RefundInstruction instruction, int httpStatus, String retryAfter, String text) {
		SubmitOutcome outcome = outcomes.fromResponse(httpStatus, retryAfter, text, instruction, Set.of());
		if (!outcome.accepted() || outcome.parts().isEmpty()) {
			return outcome;
		}
		Set<String> seen = recent.seenThenAdd(instruction.groupId(),
				outcome.parts().stream().map(RefundPart::partId).toList());
		return seen.isEmpty() ? outcome : outcomes.fromResponse(httpStatus, retryAfter, text, instruction, seen);
	}

	@Override
	public boolean groupListsParts() {
		return true;
	}

	@Override
	public boolean preflight() {
		return properties.preflight();
	}

	@Override
	public Mono<RefundPart> queryPart(String partId) {
		String path = PART_PATH + partId;
		return Mono.defer(() -> signed("get", path, new byte[0], null).exchangeToMono(response -> response
			.bodyToMono(String.class)
			.defaultIfEmpty("")
			.flatMap(text -> part(response.statusCode().value(), text))));
	}

	private Mono<RefundPart> part(int httpStatus, String text) {
		JsonNode root = readOrMissing(text);
		String state = root.path("status").path("status").asString("");
		if (httpStatus == 200 && "SUCCESS".equals(state)) {
			JsonNode data = root.path("data");
			return Mono.justOrEmpty(RapydOutcomes.refundPart(data, null, null));
		}
		if ("ERROR".equals(state) && (httpStatus == 404 || httpStatus == 400)) {
			return Mono.empty();
		}
		return Mono.error(queryFailure("refund query", httpStatus, root));
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
			.flatMap(text -> groupState(groupId, response.statusCode().value(), text))));
	}

	/** Compact JSON exactly as Rapyd signs it: no spaces, no trailing zeros, no exponent. */
	String refundBody(RefundInstruction instruction) {
		StringBuilder body = new StringBuilder("{\"group_payment\":").append(jsonString(instruction.groupId()));
		instruction.amount().ifPresent(amount -> body.append(",\"amount\":").append(amount.toCompactString()));
		return body.append('}').toString();
	}

	/** A JSON string: a group id of letters, digits and {@code _ - .} (every valid one) as it is, anything else as
	 * Jackson writes it. */
	private String jsonString(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
					|| c == '.')) {
				return json.writeValueAsString(value);
			}
		}
		return '"' + value + '"';
	}

	private WebClient.RequestHeadersSpec<?> signed(String method, String path, byte[] body, String idempotencyKey) {
		String salt = RapydSigner.newSalt();
		long timestamp = clock.instant().getEpochSecond();
		String signature = RapydSigner.sign(method, path, salt, timestamp, properties.accessKey(),
				properties.secretKey(), new String(body, StandardCharsets.UTF_8));
		WebClient.RequestBodyUriSpec spec = "get".equals(method) ? webClient.method(org.springframework.http.HttpMethod.GET)
				: webClient.method(org.springframework.http.HttpMethod.POST);
		// The refund URL is parsed once, not expanded as a template per request; a query's path holds an id from an
		// answer, and goes through the template expansion (and its encoding) as before.
		WebClient.RequestBodySpec request = (REFUND_PATH.equals(path) ? spec.uri(refundUri())
				: spec.uri(stripSlash(properties.baseUrl()) + path))
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

	private URI refundUri() {
		URI uri = refundUri;
		if (uri == null) {
			uri = URI.create(stripSlash(properties.baseUrl()) + REFUND_PATH);
			refundUri = uri;
		}
		return uri;
	}

	private Mono<GroupState> groupState(String groupId, int httpStatus, String text) {
		JsonNode root = readOrMissing(text);
		String state = root.path("status").path("status").asString("");
		if (httpStatus == 200 && "SUCCESS".equals(state)) {
			JsonNode data = root.path("data");
			BigDecimal refunded = BigDecimal.ZERO;
			for (JsonNode payment : data.path("payments")) {
				refunded = refunded.add(payment.path("refunded_amount").decimalValue());
			}
			List<RefundPart> parts = RapydOutcomes.refundParts(data);
			recent.seenThenAdd(groupId, parts.stream().map(RefundPart::partId).toList());
			String status = data.path("status").asString("");
			BigDecimal total = data.path("amount").decimalValue();
			return Mono.just(new GroupState(true, Currency.getInstance(data.path("currency").asString()), total,
					refunded, status, "closed".equalsIgnoreCase(status), total.subtract(refunded).max(BigDecimal.ZERO),
					parts));
		}
		if ("ERROR".equals(state) && (httpStatus == 404 || httpStatus == 400)) {
			return Mono.just(GroupState.notFound());
		}
		return Mono.error(queryFailure("group payment query", httpStatus, root));
	}

	/**
	 * A query that failed. HTTP 401/403/404/405 without Rapyd's own answer is not an outage but a base URL that
	 * points elsewhere, or keys that are refused: a configuration error, so the job stops at once.
	 */
	private RuntimeException queryFailure(String what, int httpStatus, JsonNode root) {
		String code = root.path("status").path("error_code").asString("");
		boolean rapydAnswer = !root.path("status").path("status").asString("").isEmpty();
		if ((!rapydAnswer && (httpStatus == 401 || httpStatus == 403 || httpStatus == 404 || httpStatus == 405))
				|| "UNAUTHENTICATED_API_CALL".equals(code) || "UNAUTHORIZED_API_CALL".equals(code)) {
			return new ConfigurationException("the Rapyd " + what + " answered HTTP " + httpStatus
					+ (code.isEmpty() ? " without a Rapyd answer" : " " + code)
					+ ": check refunds.rapyd.base-url, refunds.rapyd.access-key and refunds.rapyd.secret-key");
		}
		return new IllegalStateException("Rapyd " + what + " answered HTTP " + httpStatus + " " + code);
	}

	private JsonNode readOrMissing(String text) {
		try {
			return json.readTree(text.isBlank() ? "{}" : text);
		}
		catch (JacksonException ex) {
			// A gateway's HTML page (503 in an outage, a WAF's 429): not Rapyd's answer.
			return json.missingNode();
		}
	}

	private static String stripSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

	private static boolean isBlank(String value) {
		return value == null || value.isBlank();
	}

}
