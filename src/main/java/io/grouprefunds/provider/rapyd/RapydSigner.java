package io.grouprefunds.provider.rapyd;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Rapyd request signatures (docs.rapyd.net/en/request-signatures.html).
 *
 * <pre>
 * to_sign   = lower(method) + url_path + salt + timestamp + access_key + secret_key + body
 * signature = BASE64( lowercase_hex( HMAC_SHA256(secret_key, to_sign) ) )
 * </pre>
 *
 * The base64 is of the 64-character hex <em>text</em>, not of the raw 32 bytes: that is what Rapyd's own sample code
 * does, and signing the raw bytes is rejected with 401 UNAUTHENTICATED_API_CALL. Used by the client and by the
 * sandbox, so both sides agree by construction and the published vectors pin both.
 */
public final class RapydSigner {

	private static final String SALT_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

	private static final SecureRandom RANDOM = new SecureRandom();

	private RapydSigner() {
	}

	/**
	 * @param method HTTP method, any case
	 * @param urlPath from {@code /v1}, with {@code ?query} if any
	 * @param body the exact body bytes sent, as text; {@code ""} for no body
	 */
	public static String sign(String method, String urlPath, String salt, long timestamp, String accessKey,
			String secretKey, String body) {
		String toSign = method.toLowerCase(Locale.ROOT) + urlPath + salt + timestamp + accessKey + secretKey + body;
		try {
			byte[] digest = MACS.get().keyedWith(secretKey).doFinal(toSign.getBytes(StandardCharsets.UTF_8));
			String hex = HexFormat.of().formatHex(digest);
			return Base64.getEncoder().encodeToString(hex.getBytes(StandardCharsets.US_ASCII));
		}
		catch (InvalidKeyException ex) {
			// Never include the key or the signed text: both contain the secret.
			throw new IllegalStateException("HMAC-SHA256 unavailable", ex);
		}
	}

	/** Constant-time comparison, so a verifier leaks nothing about how much of a signature was right. */
	public static boolean matches(String expected, String actual) {
		if (expected == null || actual == null) {
			return false;
		}
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
				actual.getBytes(StandardCharsets.US_ASCII));
	}

	/** A fresh random salt of 12 characters (Rapyd accepts 8 to 16). */
	public static String newSalt() {
		// One draw of the shared generator per salt (it is locked per call; twelve nextInt calls were twelve), each
		// character uniform over the 62: bytes of 248 and above (not a multiple of 62) are drawn again.
		char[] salt = new char[12];
		byte[] random = new byte[16];
		int filled = 0;
		while (filled < salt.length) {
			RANDOM.nextBytes(random);
			for (int i = 0; i < random.length && filled < salt.length; i++) {
				int value = random[i] & 0xff;
				if (value < 248) {
					salt[filled++] = SALT_ALPHABET.charAt(value % 62);
				}
			}
		}
		return new String(salt);
	}

	/** One HMAC-SHA256 per thread, keyed again only when the key changes (a provider lookup and key set-up per
	 * request were a few percent of the send path). */
	private static final ThreadLocal<KeyedMac> MACS = ThreadLocal.withInitial(KeyedMac::new);

	private static final class KeyedMac {

		private final Mac mac;

		private String key;

		KeyedMac() {
			try {
				this.mac = Mac.getInstance("HmacSHA256");
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException("HMAC-SHA256 unavailable", ex);
			}
		}

		Mac keyedWith(String secretKey) throws InvalidKeyException {
			if (!secretKey.equals(key)) {
				key = null;
				mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
				key = secretKey;
			}
			return mac;
		}

	}

}
