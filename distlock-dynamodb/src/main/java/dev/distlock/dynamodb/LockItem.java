package dev.distlock.dynamodb;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One lock's item as read from the table. The item is never deleted: release removes only its
 * owner, so the fencing counter survives.
 *
 * @param lockId the lock id as stored for people to read
 * @param owner the holder's owner token, or {@code null} when the lock is free
 * @param recordVersion a random value every write replaces; a waiter that sees it unchanged for the
 * holder's lease time may take the lock over
 * @param fencingToken the counter the last grant incremented
 * @param leaseMillis the lease time of the holder's last grant or renewal
 * @param writtenAt when the last write was sent, by the <em>writer's</em> wall clock; shown to
 * operators, never used to decide expiry
 */
record LockItem(String lockId, @Nullable String owner, String recordVersion, long fencingToken, long leaseMillis,
		@Nullable Instant writtenAt) {

	/** The partition key attribute: SHA-256 of the lock id, hex (any id fits DynamoDB's key limits). */
	static final String KEY = "lock_key";

	static final String LOCK_ID = "lock_id";

	static final String OWNER = "owner";

	static final String VERSION = "record_version";

	static final String TOKEN = "fencing_token";

	static final String LEASE = "lease_ms";

	static final String WRITTEN_AT = "written_at";

	private static final HexFormat HEX = HexFormat.of();

	/** The placeholder names every expression uses ({@code owner} is a DynamoDB reserved word). */
	static final Map<String, String> NAMES = Map.of("#id", LOCK_ID, "#owner", OWNER, "#version", VERSION, "#token",
			TOKEN, "#lease", LEASE, "#written", WRITTEN_AT);

	boolean isHeld() {
		return this.owner != null;
	}

	static Map<String, AttributeValue> key(String lockId) {
		return Map.of(KEY, AttributeValue.fromS(hash(lockId)));
	}

	static String hash(String lockId) {
		try {
			return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(lockId.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform must provide SHA-256", ex);
		}
	}

	/** The item's attributes as a lock, or {@code null} for an empty map (no item). */
	static @Nullable LockItem from(@Nullable Map<String, AttributeValue> item) {
		if (item == null || item.isEmpty() || !item.containsKey(VERSION)) {
			return null;
		}
		AttributeValue owner = item.get(OWNER);
		AttributeValue written = item.get(WRITTEN_AT);
		return new LockItem(text(item, LOCK_ID), (owner != null) ? owner.s() : null, text(item, VERSION),
				number(item, TOKEN), number(item, LEASE), (written != null) ? Instant.parse(written.s()) : null);
	}

	private static String text(Map<String, AttributeValue> item, String name) {
		AttributeValue value = item.get(name);
		return (value != null && value.s() != null) ? value.s() : "";
	}

	private static long number(Map<String, AttributeValue> item, String name) {
		AttributeValue value = item.get(name);
		return (value != null && value.n() != null) ? Long.parseLong(value.n()) : 0;
	}

}
