package io.grouprefunds.provider.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The card issuer's sign, pinned by the vector in shared/docs/providers.md. */
class IssuerSignerTest {

	private static final List<String> DEFAULT_FIELDS = List.of("company_id", "group_id", "refund_amount");

	private static final Map<String, String> SEED_REQUEST = Map.of("request_id", "", "company_id", "4101", "group_id",
			"5901", "refund_amount", "11.36");

	@Test
	void theProvidersMdVector() {
		// given "4101" + "5901" + "11.36" + "TEST_API_KEY"

		// when
		String sign = IssuerSigner.sign(DEFAULT_FIELDS, SEED_REQUEST, "TEST_API_KEY");

		// then
		assertThat(sign).isEqualTo("A7C7316C0DDE8663CBB9623455A5D09994FB53BDB276D377DDA13C4F6ADB64D8");
	}

	@Test
	void theOrderOfTheConfiguredFieldsIsTheOrderSigned() {
		// given the same fields in another order
		List<String> reordered = List.of("group_id", "company_id", "refund_amount");

		// when
		String sign = IssuerSigner.sign(reordered, SEED_REQUEST, "TEST_API_KEY");

		// then
		assertThat(sign).isNotEqualTo(IssuerSigner.sign(DEFAULT_FIELDS, SEED_REQUEST, "TEST_API_KEY"))
			.matches("[0-9A-F]{64}");
	}

	@Test
	void theAmountIsSignedAsTheExactStringSent() {
		// given "11.36" and "11.360", the same money
		Map<String, String> padded = Map.of("company_id", "4101", "group_id", "5901", "refund_amount", "11.360");

		// when / then
		assertThat(IssuerSigner.sign(DEFAULT_FIELDS, padded, "TEST_API_KEY"))
			.isNotEqualTo(IssuerSigner.sign(DEFAULT_FIELDS, SEED_REQUEST, "TEST_API_KEY"));
	}

	@Test
	void spacesAreRemovedBeforeSigning() {
		// given values with spaces ("All encryption parameters need to remove spaces before encryption")
		Map<String, String> spaced = Map.of("company_id", " 4101", "group_id", "59 01", "refund_amount", "11.36 ");

		// when / then
		assertThat(IssuerSigner.sign(DEFAULT_FIELDS, spaced, "TEST_API_KEY"))
			.isEqualTo("A7C7316C0DDE8663CBB9623455A5D09994FB53BDB276D377DDA13C4F6ADB64D8");
	}

	@Test
	void aMissingFieldIsNamedAndTheKeyIsNot() {
		// given
		Map<String, String> noAmount = Map.of("company_id", "4101", "group_id", "5901");

		// when / then
		assertThatIllegalArgumentException()
			.isThrownBy(() -> IssuerSigner.sign(DEFAULT_FIELDS, noAmount, "SECRET_KEY_123"))
			.withMessageContaining("refund_amount")
			.withMessageNotContaining("SECRET_KEY_123");
	}

	@Test
	void matchesComparesExactly() {
		assertThat(IssuerSigner.matches("ABC", "ABC")).isTrue();
		assertThat(IssuerSigner.matches("ABC", "abc")).isFalse();
		assertThat(IssuerSigner.matches("ABC", null)).isFalse();
	}

}
