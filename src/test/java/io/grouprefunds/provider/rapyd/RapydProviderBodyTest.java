package io.grouprefunds.provider.rapyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;

import io.grouprefunds.domain.ConfigurationException;
import io.grouprefunds.provider.RefundInstruction;
import io.grouprefunds.system.SystemConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.web.reactive.function.client.WebClient;

/** The exact bytes Rapyd signs and receives, and that the settings never show their keys. */
class RapydProviderBodyTest {

	private static final String GP = "gp_8932172b9ae44d0caa04d5d419b43739";

	private static final String ACCESS = "rak_TEST_ACCESS_KEY";

	private static final String SECRET = "rsk_TEST_SECRET_KEY";

	private static RapydProvider provider(RapydProperties properties) {
		return new RapydProvider(properties, WebClient.create(), SystemConfiguration.exactJson(), Clock.systemUTC());
	}

	private static RapydProperties properties(String baseUrl, String accessKey, String secretKey) {
		return new RapydProperties(baseUrl, accessKey, secretKey, false, Duration.ofSeconds(1), Duration.ofSeconds(1),
				false);
	}

	private final RapydProvider provider = provider(properties("http://127.0.0.1:1", "ak", "sk"));

	private static RefundInstruction instruction(String amount, String currency) {
		return RefundInstruction.of(1, "r-1", GP, amount == null ? null : new BigDecimal(amount), currency, "gr-key");
	}

	@Test
	void aWholeGroupRefundSendsOnlyTheGroupPayment() {
		// given
		RefundInstruction whole = instruction(null, "USD");

		// when
		String body = provider.refundBody(whole);

		// then
		assertThat(body).isEqualTo("{\"group_payment\":\"" + GP + "\"}");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			42.60  | USD | 42.6
			42.6   | USD | 42.6
			100.00 | USD | 100
			71     | USD | 71
			0.10   | USD | 0.1
			5000   | JPY | 5000
			1.230  | KWD | 1.23
			""")
	void aPartialRefundSendsTheCompactAmount(String amount, String currency, String wire) {
		// given
		RefundInstruction partial = instruction(amount, currency);

		// when
		String body = provider.refundBody(partial);

		// then
		assertThat(body).isEqualTo("{\"group_payment\":\"" + GP + "\",\"amount\":" + wire + "}");
	}

	@Test
	void aGroupIdIsWrittenAsAJsonString() {
		// given an id with characters JSON must escape (validation would refuse it, the body must still be JSON)
		RefundInstruction odd = RefundInstruction.of(1, "r", "gp_\"x\\", null, "USD", "k");

		// when
		String body = provider.refundBody(odd);

		// then
		assertThat(body).isEqualTo("{\"group_payment\":\"gp_\\\"x\\\\\"}");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			      | OWI3NWE5NDQwYTc5MmJlZWYwYWYzMTc3YWQwNzQ5ZjVjM2IzZGFkNzE1ZjU2ZjFjMjBhMjhlMTRiYWMzNTc3Ng==
			71.00 | MGI1ZGZjZTBmY2FkZWZmMjUxNDdjYzE2NzkxYTQxNGRkZmQ2M2FkMzc2MDM3Y2U1MjZlYTMxNTVkNWI2NGFkMA==
			42.60 | NWY0M2JlYWM3Y2E2MzY5NzRlZjg3ZTM2MTM0NzhhMjkzNDI0ZDQ1M2ZmNTBkOTVjN2MxZmUzZTU0YzE5OGE5Zg==
			""")
	void theBodySignsToThePublishedVector(String amount, String expected) {
		// given the body built for the vector's refund
		String body = provider.refundBody(instruction(amount, "USD"));

		// when signed with the vector's inputs
		String signature = RapydSigner.sign("post", RapydProvider.REFUND_PATH, "a1b2c3d4e5f6g7h8", 1700000000L, ACCESS,
				SECRET, body);

		// then
		assertThat(signature).isEqualTo(expected);
	}

	@Test
	void propertiesNeverShowTheirKeys() {
		// given
		RapydProperties properties = properties("https://sandboxapi.rapyd.net", ACCESS, SECRET);

		// when
		String text = properties.toString();

		// then
		assertThat(text).doesNotContain(ACCESS, SECRET, "TEST_ACCESS", "TEST_SECRET")
			.contains("https://sandboxapi.rapyd.net");
	}

	@Test
	void unsetKeysShowAsUnset() {
		// given / when / then
		assertThat(properties("https://x", null, " ").toString()).contains("accessKey=<unset>", "secretKey=<unset>");
	}

	@Test
	void aCompleteConfigurationIsAccepted() {
		// given
		RapydProvider configured = provider(properties("https://sandboxapi.rapyd.net", ACCESS, SECRET));
		RapydProvider withPort = provider(properties("http://127.0.0.1:8089/", ACCESS, SECRET));

		// when / then
		assertThatNoException().isThrownBy(configured::checkConfiguration);
		assertThatNoException().isThrownBy(withPort::checkConfiguration);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
			NULL    | rsk_TEST_SECRET_KEY
			''      | rsk_TEST_SECRET_KEY
			'   '   | rsk_TEST_SECRET_KEY
			rak_TEST_ACCESS_KEY | NULL
			rak_TEST_ACCESS_KEY | ''
			""")
	void blankKeysAreAConfigurationErrorThatShowsNoKey(String accessKey, String secretKey) {
		// given
		RapydProvider unconfigured = provider(properties("https://sandboxapi.rapyd.net", accessKey, secretKey));

		// when
		ConfigurationException error = catchThrowableOfType(ConfigurationException.class,
				unconfigured::checkConfiguration);

		// then
		assertThat(error).isNotNull();
		assertThat(error.getMessage()).contains("refunds.rapyd.access-key", "refunds.rapyd.secret-key")
			.doesNotContain(ACCESS, SECRET);
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://sandboxapi.rapyd.net/v1", "https://sandboxapi.rapyd.net/v1/",
			"https://sandboxapi.rapyd.net/v1/refunds/group_payments", "sandboxapi.rapyd.net", "ftp://host", "" })
	void aBaseUrlWithAPathOrWithoutSchemeIsAConfigurationErrorThatShowsNoKey(String baseUrl) {
		// given
		RapydProvider misconfigured = provider(properties(baseUrl, ACCESS, SECRET));

		// when
		ConfigurationException error = catchThrowableOfType(ConfigurationException.class,
				misconfigured::checkConfiguration);

		// then
		assertThat(error).isNotNull();
		assertThat(error.getMessage()).contains("refunds.rapyd.base-url").doesNotContain(ACCESS, SECRET);
	}

	@Test
	void thePreviewShowsTheBodyAndKeyButNoSecret() {
		// given
		RapydProvider configured = provider(properties("https://sandboxapi.rapyd.net/", ACCESS, SECRET));

		// when
		String preview = configured.preview(instruction("42.60", "USD"));

		// then
		assertThat(preview).contains("POST https://sandboxapi.rapyd.net/v1/refunds/group_payments",
				"idempotency=gr-key", "\"amount\":42.6}").doesNotContain(ACCESS, SECRET);
	}

}
