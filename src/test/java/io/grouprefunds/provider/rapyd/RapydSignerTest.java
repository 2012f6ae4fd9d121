package io.grouprefunds.provider.rapyd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The published vectors from shared/docs/providers.md, computed from Rapyd's own sample code. */
class RapydSignerTest {

	private static final String ACCESS = "rak_TEST_ACCESS_KEY";

	private static final String SECRET = "rsk_TEST_SECRET_KEY";

	private static final String SALT = "a1b2c3d4e5f6g7h8";

	private static final long TIMESTAMP = 1700000000L;

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
			post | /v1/refunds/group_payments | '{"group_payment":"gp_8932172b9ae44d0caa04d5d419b43739"}' | OWI3NWE5NDQwYTc5MmJlZWYwYWYzMTc3YWQwNzQ5ZjVjM2IzZGFkNzE1ZjU2ZjFjMjBhMjhlMTRiYWMzNTc3Ng==
			post | /v1/refunds/group_payments | '{"group_payment":"gp_8932172b9ae44d0caa04d5d419b43739","amount":71}' | MGI1ZGZjZTBmY2FkZWZmMjUxNDdjYzE2NzkxYTQxNGRkZmQ2M2FkMzc2MDM3Y2U1MjZlYTMxNTVkNWI2NGFkMA==
			post | /v1/refunds/group_payments | '{"group_payment":"gp_8932172b9ae44d0caa04d5d419b43739","amount":42.6}' | NWY0M2JlYWM3Y2E2MzY5NzRlZjg3ZTM2MTM0NzhhMjkzNDI0ZDQ1M2ZmNTBkOTVjN2MxZmUzZTU0YzE5OGE5Zg==
			get | /v1/payments/group_payments/gp_8932172b9ae44d0caa04d5d419b43739 | '' | NzM0MWFlOGI3ZGY2M2EzNTlmODBhODk0NDdmYjQ3NjU4Y2JiODBmNDUxYWU2MzAyMzg0ZjgyMDUxMmU3MzI2NA==
			""")
	void publishedVectors(String method, String path, String body, String expected) {
		// given the vector's inputs; when signed; then the published signature, 88 characters
		String signature = RapydSigner.sign(method, path, SALT, TIMESTAMP, ACCESS, SECRET, body == null ? "" : body);
		assertThat(signature).isEqualTo(expected).hasSize(88);
	}

	@Test
	void trailingZeroInTheBodyChangesTheSignature() {
		String compact = RapydSigner.sign("post", "/v1/refunds/group_payments", SALT, TIMESTAMP, ACCESS, SECRET,
				"{\"group_payment\":\"gp_8932172b9ae44d0caa04d5d419b43739\",\"amount\":42.6}");
		String padded = RapydSigner.sign("post", "/v1/refunds/group_payments", SALT, TIMESTAMP, ACCESS, SECRET,
				"{\"group_payment\":\"gp_8932172b9ae44d0caa04d5d419b43739\",\"amount\":42.60}");
		assertThat(padded).isNotEqualTo(compact);
	}

	@Test
	void methodCaseDoesNotMatter() {
		assertThat(RapydSigner.sign("POST", "/v1/x", SALT, TIMESTAMP, ACCESS, SECRET, "{}"))
			.isEqualTo(RapydSigner.sign("post", "/v1/x", SALT, TIMESTAMP, ACCESS, SECRET, "{}"));
	}

	@Test
	void saltsAreFreshAndWithinRapydsLength() {
		String a = RapydSigner.newSalt();
		String b = RapydSigner.newSalt();
		assertThat(a).hasSizeBetween(8, 16).isNotEqualTo(b);
	}

	@Test
	void saltsUseEveryCharacterOfTheAlphabetAboutEquallyAndNothingElse() {
		// given 20,000 salts (240,000 characters, about 3,871 of each of the 62)
		String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
		int[] counts = new int[alphabet.length()];
		for (int i = 0; i < 20_000; i++) {
			String salt = RapydSigner.newSalt();
			assertThat(salt).hasSize(12);
			for (char c : salt.toCharArray()) {
				int index = alphabet.indexOf(c);
				assertThat(index).as("character %s", c).isNotNegative();
				counts[index]++;
			}
		}
		// then each character within 12% of its share (a byte folded onto 62 without redrawing gives the first 8
		// characters 5/4 of the others' share: 25% more)
		for (int i = 0; i < counts.length; i++) {
			assertThat(counts[i]).as("count of %s", alphabet.charAt(i)).isBetween(3406, 4336);
		}
	}

	@Test
	void aThreadSigningWithTwoKeysInTurnUsesEachKey() {
		String first = RapydSigner.sign("post", "/v1/x", SALT, TIMESTAMP, ACCESS, SECRET, "{}");
		String other = RapydSigner.sign("post", "/v1/x", SALT, TIMESTAMP, ACCESS, "rsk_OTHER", "{}");
		assertThat(other).isNotEqualTo(first);
		assertThat(RapydSigner.sign("post", "/v1/x", SALT, TIMESTAMP, ACCESS, SECRET, "{}")).isEqualTo(first);
		assertThat(RapydSigner.sign("post", "/v1/x", SALT, TIMESTAMP, ACCESS, "rsk_OTHER", "{}")).isEqualTo(other);
	}

	@Test
	void matchesComparesExactly() {
		assertThat(RapydSigner.matches("abc", "abc")).isTrue();
		assertThat(RapydSigner.matches("abc", "abd")).isFalse();
		assertThat(RapydSigner.matches("abc", null)).isFalse();
	}

}
