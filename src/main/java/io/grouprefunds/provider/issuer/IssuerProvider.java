package io.grouprefunds.provider.issuer;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.domain.RefundPart;
import io.grouprefunds.provider.GroupState;
import io.grouprefunds.domain.ConfigurationException;
import io.grouprefunds.provider.RefundInstruction;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.provider.RowRules;
import io.grouprefunds.domain.SubmitOutcome;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The card issuer's "Refund group" ({@code POST /group/refund}) and "Query group details" (reconciliation).
 *
 * <p>The body is {@code {"request_id","company_id","group_id","refund_amount","sign"}}, every value a JSON string;
 * {@code request_id} is the row's idempotency key (stable across attempts) and {@code refund_amount} is written at
 * the currency's scale ({@code "11.36"}, {@code "5.00"}). The sign has no timestamp, so the exact body is built once
 * per refund and the same bytes are sent on every attempt.
 */
public class IssuerProvider implements RefundProvider {

	static final String NAME = "issuer";

	/** The body fields a sign may cover, besides {@code sign} itself. */
	static final Set<String> REFUND_FIELDS = Set.of("request_id", "company_id", "group_id", "refund_amount");

	static final Set<String> QUERY_FIELDS = Set.of("request_id", "company_id", "group_id");

	static final Set<String> REFUND_QUERY_FIELDS = Set.of("company_id", "req_no");

	/** Groups whose currency, learned from a group query, is remembered. */
	private static final int KNOWN_GROUPS = 20_000;

	/** Group currencies learned from group queries: the refund answer carries none. */
	private final Map<String, String> groupCurrencies = java.util.Collections.synchronizedMap(
			new java.util.LinkedHashMap<>(256, 0.75f, true) {

				@Override
				protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
					return size() > KNOWN_GROUPS;
				}

			});

	/** "Amounts are strings of at most 12 characters" (providers.md). */
	static final int MAX_AMOUNT_LENGTH = 12;

	private final IssuerProperties properties;

	private final WebClient webClient;

	private final JsonMapper json;

	private final IssuerOutcomes outcomes;

	private final RowRules rules;

	public IssuerProvider(IssuerProperties properties, WebClient webClient, JsonMapper json) {
		this.properties = properties;
		this.webClient = webClient;
		this.json = json;
		this.outcomes = new IssuerOutcomes(json, properties);
		this.rules = new RowRules(Pattern.compile("[0-9]{1,18}"), "a card issuer group id: 1 to 18 digits", true,
				Set.copyOf(properties.currencies()), MAX_AMOUNT_LENGTH);
	}

	@Override
	public String name() {
		return NAME;
	}

	/** The company id (not the API key): the account the issuer counts our requests against. */
	@Override
	public String account() {
		return properties.companyId() == null ? "" : properties.companyId();
	}

	@Override
	public boolean idempotencyEnforced() {
		return properties.idempotencyEnforced();
	}

	@Override
	public RowRules rowRules() {
		return rules;
	}

	@Override
	public void checkConfiguration() {
		if (isBlank(properties.companyId()) || isBlank(properties.apiKey())) {
			throw new ConfigurationException("card issuer settings are not set: set refunds.issuer.company-id "
					+ "and refunds.issuer.api-key (environment REFUNDS_ISSUER_COMPANY_ID, REFUNDS_ISSUER_API_KEY)");
		}
		if (!properties.companyId().matches("[0-9]{1,18}")) {
			throw new ConfigurationException("refunds.issuer.company-id must be the issuer's numeric company "
					+ "id (it was '" + properties.companyId() + "')");
		}
		if (isBlank(properties.baseUrl()) || !properties.baseUrl().matches("https?://[^/?#]+(/[^?#]*)?")) {
			throw new ConfigurationException("refunds.issuer.base-url must be scheme, host, port and base "
					+ "path, e.g. https://sandbox.vcc.top/api (it was '" + properties.baseUrl() + "')");
		}
		checkPath("refunds.issuer.refund-path", properties.refundPath());
		checkPath("refunds.issuer.query-path", properties.queryPath());
		checkFields("refunds.issuer.sign-fields", properties.signFields(), REFUND_FIELDS);
		checkFields("refunds.issuer.query-sign-fields", properties.querySignFields(), QUERY_FIELDS);
		checkPath("refunds.issuer.refund-query-path", properties.refundQueryPath());
		checkFields("refunds.issuer.refund-query-sign-fields", properties.refundQuerySignFields(),
				REFUND_QUERY_FIELDS);
		if (properties.currencies().isEmpty()) {
			throw new ConfigurationException("refunds.issuer.currencies must name at least one currency");
		}
		for (String code : properties.currencies()) {
			try {
				Currency.getInstance(code);
			}
			catch (IllegalArgumentException ex) {
				throw new ConfigurationException("refunds.issuer.currencies: '" + code
						+ "' is not an ISO 4217 currency code");
			}
		}
		try {
			Pattern.compile(properties.stopMessagePattern());
		}
		catch (PatternSyntaxException ex) {
			throw new ConfigurationException("refunds.issuer.stop-message-pattern is not a regular "
					+ "expression: " + ex.getDescription());
		}
	}

	@Override
	public Mono<SubmitOutcome> submit(RefundInstruction instruction) {
		if (instruction.amount().isEmpty()) {
			// Ingest requires an amount for this provider; a row without one is never sent.
			return Mono.just(SubmitOutcome.of(RowStatus.DECLINED, null, null, null, "AMOUNT_REQUIRED",
					"the card issuer refunds an amount; this row has none (not sent)"));
		}
		byte[] body = refundBody(instruction).getBytes(StandardCharsets.UTF_8);
		return Mono.defer(() -> post(properties.refundPath(), body)
			.exchangeToMono(response -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map(text -> outcomes.fromResponse(response.statusCode().value(),
						response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER), text, instruction,
						knownCurrency(instruction.groupId()))))
			.onErrorResume(error -> Mono.just(outcomes.fromTransportError(error))));
	}

	/**
	 * The group's currency: from a group query when one was made (the preflight, reconciliation), else the configured
	 * currency when only one is configured; null when neither says.
	 */
	String knownCurrency(String groupId) {
		String learned = groupCurrencies.get(groupId);
		if (learned != null) {
			return learned;
		}
		return properties.currencies().size() == 1 ? properties.currencies().iterator().next() : null;
	}

	@Override
	public boolean groupListsParts() {
		return false;
	}

	@Override
	public boolean preflight() {
		return properties.preflight();
	}

	@Override
	public Mono<RefundPart> queryPart(String partId) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("company_id", properties.companyId());
		fields.put("req_no", partId);
		byte[] body = signedBody(fields, properties.refundQuerySignFields()).getBytes(StandardCharsets.UTF_8);
		return Mono.defer(() -> post(properties.refundQueryPath(), body).exchangeToMono(response -> response
			.bodyToMono(String.class)
			.defaultIfEmpty("")
			.flatMap(text -> refundState(partId, response.statusCode().value(), text))));
	}

	private Mono<RefundPart> refundState(String reqNo, int httpStatus, String text) {
		JsonNode root = readOrNull(text);
		Integer code = root == null ? null : IssuerOutcomes.code(root);
		if (httpStatus == 200 && code != null && code == 0) {
			JsonNode data = root.path("data");
			String groupId = IssuerOutcomes.text(data.path("groupId"));
			return Mono.just(outcomes.part(reqNo, data.path("refundAmount"), IssuerOutcomes.text(data.path("status")),
					groupId == null ? knownCurrency("") : knownCurrency(groupId), data.path("updatedAt")));
		}
		if (code != null && properties.refundNotFoundCodes().contains(code)) {
			return Mono.empty();
		}
		return Mono.error(queryFailure("refund query", "refunds.issuer.refund-query-path", httpStatus, root, code));
	}

	/**
	 * A query that failed. HTTP 404/405 is a path that does not exist (the issuer's own "not found" is a code), and
	 * 401/403 refused credentials: configuration errors naming the setting, so the job stops at once.
	 */
	private RuntimeException queryFailure(String what, String pathSetting, int httpStatus, JsonNode root,
			Integer code) {
		if (httpStatus == 404 || httpStatus == 405) {
			return new ConfigurationException("the card issuer's " + what + " answered HTTP " + httpStatus
					+ ": check " + pathSetting + " and refunds.issuer.base-url");
		}
		if (httpStatus == 401 || httpStatus == 403 || (code != null && properties.stopCodes().contains(code))) {
			return new ConfigurationException("the card issuer refused our " + what + " (HTTP " + httpStatus
					+ (code == null ? "" : ", code " + code) + "): check refunds.issuer.api-key, "
					+ "refunds.issuer.company-id and the " + what + "'s sign fields");
		}
		return new IllegalStateException("card issuer " + what + " answered HTTP " + httpStatus
				+ (code == null ? "" : " code " + code + " " + IssuerOutcomes.message(root.path("msg"))));
	}

	private JsonNode readOrNull(String text) {
		try {
			return json.readTree(text.isBlank() ? "{}" : text);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	@Override
	public String preview(RefundInstruction instruction) {
		Map<String, String> fields = refundFields(instruction);
		ObjectNode body = json.createObjectNode();
		fields.forEach(body::put);
		body.put("sign", "<SHA-256 of " + String.join(" + ", properties.signFields()) + " + api_key>");
		return "POST " + url(properties.refundPath()) + " body=" + json.writeValueAsString(body);
	}

	@Override
	public Mono<GroupState> queryGroup(String groupId) {
		byte[] body = queryBody(groupId).getBytes(StandardCharsets.UTF_8);
		return Mono.defer(() -> post(properties.queryPath(), body).exchangeToMono(response -> response
			.bodyToMono(String.class)
			.defaultIfEmpty("")
			.flatMap(text -> groupState(groupId, response.statusCode().value(), text))));
	}

	/** The exact body sent: fields in the documented order, every value a string, the sign last. */
	String refundBody(RefundInstruction instruction) {
		Map<String, String> fields = refundFields(instruction);
		return signedBody(fields, properties.signFields());
	}

	String queryBody(String groupId) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("request_id", "");
		fields.put("company_id", properties.companyId());
		fields.put("group_id", groupId);
		return signedBody(fields, properties.querySignFields());
	}

	private Map<String, String> refundFields(RefundInstruction instruction) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("request_id", instruction.idempotencyKey());
		fields.put("company_id", properties.companyId());
		fields.put("group_id", instruction.groupId());
		fields.put("refund_amount", instruction.amount().map(amount -> amount.toScaledString()).orElse(""));
		return fields;
	}

	private String signedBody(Map<String, String> fields, List<String> signFields) {
		ObjectNode body = json.createObjectNode();
		fields.forEach(body::put);
		body.put("sign", IssuerSigner.sign(signFields, fields, properties.apiKey()));
		return json.writeValueAsString(body);
	}

	private WebClient.RequestHeadersSpec<?> post(String path, byte[] body) {
		return webClient.post().uri(url(path)).contentType(MediaType.APPLICATION_JSON).bodyValue(body);
	}

	private Mono<GroupState> groupState(String groupId, int httpStatus, String text) {
		JsonNode root = readOrNull(text);
		if (root == null) {
			if (httpStatus == 404 || httpStatus == 405) {
				return Mono.error(queryFailure("group query", "refunds.issuer.query-path", httpStatus, null, null));
			}
			return Mono.error(new IllegalStateException("card issuer group query answered HTTP " + httpStatus
					+ " with a body that is not JSON"));
		}
		Integer code = IssuerOutcomes.code(root);
		if (httpStatus == 200 && code != null && code == 0) {
			JsonNode data = root.path("data");
			String refunded = IssuerOutcomes.text(data.path(properties.queryRefundedField()));
			String currency = IssuerOutcomes.text(data.path(properties.queryCurrencyField()));
			if (refunded == null || currency == null) {
				// Without the figure, nothing can be proven: the row stays UNKNOWN for a person.
				String missing = refunded == null
						? properties.queryRefundedField() + "' (refunds.issuer.query-refunded-field)"
						: properties.queryCurrencyField() + "' (refunds.issuer.query-currency-field)";
				return Mono.error(new IllegalStateException("card issuer group query answer has no '" + missing));
			}
			try {
				String balance = IssuerOutcomes.text(data.path(properties.queryBalanceField()));
				GroupState state = new GroupState(true, Currency.getInstance(currency), null, new BigDecimal(refunded),
						IssuerOutcomes.text(data.path("status")), true, balance == null ? null : new BigDecimal(balance),
						null);
				groupCurrencies.put(groupId, state.currency().getCurrencyCode());
				return Mono.just(state);
			}
			catch (IllegalArgumentException ex) {
				return Mono.error(new IllegalStateException("card issuer group query answer is unreadable: "
						+ properties.queryCurrencyField() + "=" + currency + ", " + properties.queryRefundedField()
						+ "=" + refunded));
			}
		}
		if (code != null && properties.groupNotFoundCodes().contains(code)) {
			return Mono.just(GroupState.notFound());
		}
		return Mono.error(queryFailure("group query", "refunds.issuer.query-path", httpStatus, root, code));
	}

	private String url(String path) {
		String base = properties.baseUrl();
		return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
	}

	private static void checkPath(String name, String path) {
		if (isBlank(path) || !path.startsWith("/")) {
			throw new ConfigurationException(name + " must start with / (it was '" + path + "')");
		}
	}

	private static void checkFields(String name, List<String> fields, Set<String> allowed) {
		if (fields == null || fields.isEmpty() || !allowed.containsAll(fields)) {
			throw new ConfigurationException(name + " must list fields among " + allowed + " (it was "
					+ fields + ")");
		}
	}

	private static boolean isBlank(String value) {
		return value == null || value.isBlank();
	}

}
