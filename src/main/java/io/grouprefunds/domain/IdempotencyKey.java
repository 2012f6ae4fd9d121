package io.grouprefunds.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The idempotency key of a refund: {@code "gr-"} + the version 3 (name-based, MD5) UUID of
 * {@code "group-refunds/" + provider + "/" + request_id}. The same whenever and however often the refund is sent,
 * never random per attempt, and a pure function of (provider, request_id): the ledger relies on that (migration V9
 * drops the unique index on the key, which the unique index on (provider, request_id) implies), so ingest, the only
 * writer of ledger rows, refuses to record a row whose key is not this one.
 */
public final class IdempotencyKey {

	private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
		try {
			return MessageDigest.getInstance("MD5");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("MD5 is a required algorithm of every JDK", ex);
		}
	});

	private IdempotencyKey() {
	}

	/** {@code UUID.nameUUIDFromBytes}, with the MD5 digest kept per thread: looked up per row, it cost as much. */
	public static String of(String provider, String requestId) {
		byte[] md5 = MD5.get().digest(("group-refunds/" + provider + "/" + requestId).getBytes(StandardCharsets.UTF_8));
		md5[6] = (byte) ((md5[6] & 0x0f) | 0x30);
		md5[8] = (byte) ((md5[8] & 0x3f) | 0x80);
		long most = 0;
		long least = 0;
		for (int i = 0; i < 8; i++) {
			most = (most << 8) | (md5[i] & 0xff);
			least = (least << 8) | (md5[i + 8] & 0xff);
		}
		return "gr-" + new UUID(most, least);
	}

}
