package dev.distlock.jdbc.postgres;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 64-bit PostgreSQL advisory lock key of a lock id: the first 8 bytes, read as a big-endian
 * signed {@code long}, of the SHA-256 digest of the lock id's UTF-8 bytes. The mapping is stable
 * across versions, JVMs and platforms (it is part of the on-the-wire contract between instances),
 * and in SQL it reads {@code ('x' || left(encode(sha256(convert_to(lock_id, 'UTF8')), 'hex'), 16))::bit(64)::bigint}.
 *
 * <p>Two different lock ids may collide on a key (about one pair in 2<sup>32</sup> ids, by the
 * birthday bound). A collision only costs false contention: both ids queue on one key, so one waits
 * while the other is held. It never grants two owners at once, not even on one connection, where the
 * provider refuses any second owner of a key.
 */
public final class AdvisoryLockKey {

	private AdvisoryLockKey() {
	}

	/** The advisory lock key of the lock id. */
	public static long of(String lockId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(lockId.getBytes(StandardCharsets.UTF_8));
			return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}
