package dev.distlock.redis;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.distlock.spi.BackendLock;

/**
 * The operators' view of the backend: {@code SCAN} over the lock keys under the prefix (on a
 * cluster, over every master), then one {@code inspect.lua} call per lock for its owner, token and
 * expiry. Not on any hot path: it costs one round trip per lock.
 */
final class RedisLockListing {

	private static final long SCAN_COUNT = 1000;

	private final StringRedisTemplate template;

	private final RedisLockKeys keys;

	RedisLockListing(StringRedisTemplate template, RedisLockKeys keys) {
		this.template = template;
		this.keys = keys;
	}

	List<BackendLock> listLocks() {
		List<BackendLock> locks = new ArrayList<>();
		for (String lockKey : scanLockKeys()) {
			String lockId = this.keys.lockId(lockKey);
			if (lockId != null) {
				inspect(lockId).ifPresent(locks::add);
			}
		}
		return locks;
	}

	Optional<BackendLock> inspect(String lockId) {
		List<?> holder = this.template.execute(RedisLockScripts.INSPECT, List.of(this.keys.lockKey(lockId)));
		if (holder == null || holder.size() < 3) {
			return Optional.empty();
		}
		long expiresAtMillis = ((Number) holder.get(2)).longValue();
		Instant expiresAt = (expiresAtMillis >= 0) ? Instant.ofEpochMilli(expiresAtMillis) : null;
		return Optional.of(new BackendLock(lockId, String.valueOf(holder.get(0)), ((Number) holder.get(1)).longValue(),
				expiresAt));
	}

	private List<String> scanLockKeys() {
		ScanOptions options = ScanOptions.scanOptions().match(this.keys.lockKeyPattern()).count(SCAN_COUNT).build();
		List<String> found = this.template.execute((RedisCallback<List<String>>) (connection) -> {
			List<String> lockKeys = new ArrayList<>();
			if (connection instanceof RedisClusterConnection cluster) {
				for (RedisClusterNode node : cluster.clusterGetNodes()) {
					if (node.isMaster()) {
						collect(cluster.scan(node, options), lockKeys);
					}
				}
			}
			else {
				collect(connection.keyCommands().scan(options), lockKeys);
			}
			return lockKeys;
		});
		return (found != null) ? found : List.of();
	}

	private static void collect(Cursor<byte[]> cursor, List<String> into) {
		try (cursor) {
			cursor.forEachRemaining((key) -> into.add(new String(key, StandardCharsets.UTF_8)));
		}
	}

}
