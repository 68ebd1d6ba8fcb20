package dev.distlock.jdbc.table;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a lock id is stored in the lease table: the primary key is the SHA-256 of the id's UTF-8
 * bytes in lower-case hex, so an id of any length and alphabet fits a fixed-width key on every
 * database (and an operator can find a row with {@code sha256} in SQL); the id itself is kept
 * beside it for listings.
 *
 * @param key the primary key: 64 lower-case hex digits
 * @param text the id as stored for people to read; PostgreSQL text cannot hold U+0000, so NUL
 * characters are stored as U+FFFD, and an id longer than {@value #MAX_TEXT_LENGTH} characters is cut
 * there and ends in {@code …} (the portable schema's column holds 4,000; on every database, for one
 * behaviour everywhere). Only listings see this text; locking goes by {@code key}, so such ids still
 * lock exactly.
 */
record StoredLockId(String key, String text) {

	/** The longest id text stored; longer ids are shown cut, with a trailing ellipsis. */
	static final int MAX_TEXT_LENGTH = 1000;

	private static final HexFormat HEX = HexFormat.of();

	static StoredLockId of(String lockId) {
		return new StoredLockId(key(lockId), text(lockId.replace('\u0000', '\uFFFD')));
	}

	private static String text(String lockId) {
		if (lockId.length() <= MAX_TEXT_LENGTH) {
			return lockId;
		}
		int end = MAX_TEXT_LENGTH - 1;
		if (Character.isHighSurrogate(lockId.charAt(end - 1))) {
			end--;
		}
		return lockId.substring(0, end) + "\u2026";
	}

	static String key(String lockId) {
		return HEX.formatHex(sha256().digest(lockId.getBytes(StandardCharsets.UTF_8)));
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform must provide SHA-256", ex);
		}
	}

}
