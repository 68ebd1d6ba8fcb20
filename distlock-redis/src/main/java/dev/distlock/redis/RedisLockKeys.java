package dev.distlock.redis;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.ClusterSlotHashUtil;

/**
 * Names every Redis key and channel the provider uses, under one prefix. A lock {@code id} lives in
 * {@code <prefix>{<tag>}} (a hash: owner, token) and its fencing counter in
 * {@code <prefix>{<tag>}:fencing}; the tag is the lock id with {@code \ { }} and lone surrogates
 * escaped, so both keys always share one Redis Cluster hash slot, any string is a usable lock id,
 * and keys stay readable in {@code redis-cli}. Escaping is injective, so the lock id can be read
 * back from a key found by {@code SCAN}.
 */
final class RedisLockKeys {

	private static final String COUNTER_SUFFIX = ":fencing";

	private static final String CHANNEL_SUFFIX = "released";

	/** The tag of the empty lock id: an escape that no other id produces, so the tag is never empty. */
	private static final String EMPTY_TAG = "\\e";

	private final String prefix;

	RedisLockKeys(String prefix) {
		if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
			throw new IllegalArgumentException("distlock.redis.key-prefix must not contain '{' or '}' (was '" + prefix
					+ "'): the provider puts its own Redis Cluster hash tag in every key");
		}
		this.prefix = prefix;
	}

	String prefix() {
		return this.prefix;
	}

	/** The key of the hash that holds the lock's owner and fencing token while it is held. */
	String lockKey(String lockId) {
		return this.prefix + "{" + tag(lockId) + "}";
	}

	/** The key of the lock's fencing counter; same hash slot as the lock key. */
	String counterKey(String lockId) {
		return lockKey(lockId) + COUNTER_SUFFIX;
	}

	/** The pub/sub channel that carries the lock key of every released lock. */
	String releaseChannel() {
		return this.prefix + CHANNEL_SUFFIX;
	}

	/** A {@code SCAN MATCH} pattern for the lock keys (not the counters) under this prefix. */
	String lockKeyPattern() {
		StringBuilder pattern = new StringBuilder();
		for (char c : this.prefix.toCharArray()) {
			if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
				pattern.append('\\');
			}
			pattern.append(c);
		}
		return pattern.append("{*}").toString();
	}

	/** The lock id stored under a lock key, or {@code null} if the key is not one of ours. */
	@Nullable String lockId(String lockKey) {
		if (!lockKey.startsWith(this.prefix + "{") || !lockKey.endsWith("}")) {
			return null;
		}
		String tag = lockKey.substring(this.prefix.length() + 1, lockKey.length() - 1);
		return (tag.indexOf('}') >= 0) ? null : untag(tag);
	}

	/** The Redis Cluster hash slot of everything that belongs to a lock. */
	int slot(String lockId) {
		return ClusterSlotHashUtil.calculateSlot(lockKey(lockId).getBytes(StandardCharsets.UTF_8));
	}

	static String tag(String lockId) {
		if (lockId.isEmpty()) {
			return EMPTY_TAG;
		}
		StringBuilder tag = new StringBuilder(lockId.length() + 8);
		for (int i = 0; i < lockId.length(); i++) {
			char c = lockId.charAt(i);
			switch (c) {
				case '\\' -> tag.append("\\\\");
				case '{' -> tag.append("\\[");
				case '}' -> tag.append("\\]");
				default -> {
					if (Character.isHighSurrogate(c) && i + 1 < lockId.length()
							&& Character.isLowSurrogate(lockId.charAt(i + 1))) {
						tag.append(c).append(lockId.charAt(++i));
					}
					else if (Character.isSurrogate(c)) {
						// A lone surrogate has no UTF-8 form: without this, distinct ids would share a key.
						tag.append(String.format("\\u%04X", (int) c));
					}
					else {
						tag.append(c);
					}
				}
			}
		}
		return tag.toString();
	}

	static @Nullable String untag(String tag) {
		if (tag.equals(EMPTY_TAG)) {
			return "";
		}
		StringBuilder id = new StringBuilder(tag.length());
		for (int i = 0; i < tag.length(); i++) {
			char c = tag.charAt(i);
			if (c != '\\') {
				id.append(c);
				continue;
			}
			if (++i >= tag.length()) {
				return null;
			}
			switch (tag.charAt(i)) {
				case '\\' -> id.append('\\');
				case '[' -> id.append('{');
				case ']' -> id.append('}');
				case 'u' -> {
					if (i + 4 >= tag.length()) {
						return null;
					}
					try {
						id.append((char) Integer.parseInt(tag.substring(i + 1, i + 5), 16));
					}
					catch (NumberFormatException ex) {
						return null;
					}
					i += 4;
				}
				default -> {
					return null;
				}
			}
		}
		return id.toString();
	}

}
