package io.grouprefunds.provider.issuer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The card issuer's request sign: {@code UPPER(HEX(SHA256(value1 + value2 + … + api_key)))}, plain SHA-256 (not
 * HMAC), the values of a configured list of fields concatenated in that order with no separator and spaces removed
 * (docs.xnova.sg/creategroup: "All encryption parameters need to remove spaces before encryption").
 *
 * <p>Which fields and in which order is documented per endpoint, but not for Refund group: the list is configuration
 * ({@code refunds.issuer.sign-fields}), not code. Used by the client and by the sandbox, so both agree by
 * construction and the vector in providers.md pins both.
 */
public final class IssuerSigner {

	private IssuerSigner() {
	}

	/**
	 * @param fields the fields to sign, in order
	 * @param values the exact strings sent, by field name
	 * @throws IllegalArgumentException naming a field that has no value (never the key)
	 */
	public static String sign(List<String> fields, Map<String, String> values, String apiKey) {
		StringBuilder text = new StringBuilder();
		for (String field : fields) {
			String value = values.get(field);
			if (value == null) {
				throw new IllegalArgumentException("no value for sign field '" + field + "'; the request has "
						+ values.keySet());
			}
			text.append(withoutSpaces(value));
		}
		text.append(withoutSpaces(apiKey));
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(text.toString().getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().withUpperCase().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			// Never include the signed text: it ends with the key.
			throw new IllegalStateException("SHA-256 unavailable", ex);
		}
	}

	/** Constant-time comparison, so a verifier leaks nothing about how much of a sign was right. */
	public static boolean matches(String expected, String actual) {
		if (expected == null || actual == null) {
			return false;
		}
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
				actual.getBytes(StandardCharsets.US_ASCII));
	}

	private static String withoutSpaces(String value) {
		return value.replace(" ", "");
	}

}
