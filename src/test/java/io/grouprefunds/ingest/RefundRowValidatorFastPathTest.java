package io.grouprefunds.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The validator's per-row shortcuts decide exactly as the definitions they replace: the hand-written character checks
 * as the regular expressions, the idempotency key as {@code UUID.nameUUIDFromBytes} (the key rows already in a
 * ledger were given, and must keep being given).
 */
class RefundRowValidatorFastPathTest {

	private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");

	private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

	@Property(tries = 3000)
	void theRequestIdCheckIsTheRegularExpression(@ForAll("idLike") String value) {
		assertThat(RefundRowValidator.isRequestId(value)).as("'%s'", value)
			.isEqualTo(REQUEST_ID.matcher(value).matches());
	}

	@Property(tries = 3000)
	void theCurrencyCheckIsTheRegularExpression(@ForAll("codeLike") String value) {
		assertThat(RefundRowValidator.isCurrencyCode(value)).as("'%s'", value)
			.isEqualTo(CURRENCY.matcher(value).matches());
	}

	@Property(tries = 1000)
	void theIdempotencyKeyIsTheNameBasedUuidOfProviderAndRequestId(@ForAll("idLike") String requestId) {
		assertThat(RefundRowValidator.idempotencyKey("rapyd", requestId)).isEqualTo("gr-" + UUID.nameUUIDFromBytes(
				("group-refunds/rapyd/" + requestId).getBytes(StandardCharsets.UTF_8)));
	}

	@Example
	void theIdempotencyKeyOfAKnownRowIsTheOneRecordedBefore() {
		assertThat(RefundRowValidator.idempotencyKey("rapyd", "r-1")).isEqualTo("gr-" + UUID.nameUUIDFromBytes(
				"group-refunds/rapyd/r-1".getBytes(StandardCharsets.UTF_8)));
		assertThat(RefundRowValidator.idempotencyKey("issuer", "r-1"))
			.isNotEqualTo(RefundRowValidator.idempotencyKey("rapyd", "r-1"));
	}

	@Provide
	Arbitrary<String> idLike() {
		return Arbitraries.strings()
			.withChars("aZz09._:- -/+=\t\u00e9AM")
			.withCharRange('!', '~')
			.ofMinLength(0)
			.ofMaxLength(12);
	}

	@Provide
	Arbitrary<String> codeLike() {
		return Arbitraries.oneOf(Arbitraries.strings().withCharRange('@', '[').ofMinLength(0).ofMaxLength(4),
				Arbitraries.strings().withChars("USDusd1 \u00c9").ofMinLength(0).ofMaxLength(4));
	}

}
