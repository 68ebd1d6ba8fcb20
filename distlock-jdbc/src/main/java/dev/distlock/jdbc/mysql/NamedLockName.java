package dev.distlock.jdbc.mysql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The MySQL/MariaDB lock name ({@code GET_LOCK}) of a lock id: {@code distlock:} followed by the first
 * 27 bytes, in lower-case hex, of the SHA-256 digest of the lock id's UTF-8 bytes, 63 characters in
 * all. Every lock id is hashed, whatever its length or characters, so any string works within the
 * server's 64-character limit and its case-insensitive name comparison. The mapping is stable across
 * versions and JVMs. With 216 bits, a collision (which would only cause false contention) does not
 * happen in practice.
 */
public final class NamedLockName {

	private static final String PREFIX = "distlock:";

	private static final int DIGEST_BYTES = 27;

	private NamedLockName() {
	}

	/** The lock name of the lock id. */
	public static String of(String lockId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(lockId.getBytes(StandardCharsets.UTF_8));
			return PREFIX + HexFormat.of().formatHex(digest, 0, DIGEST_BYTES);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}
