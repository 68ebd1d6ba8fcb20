package dev.distlock.redis.fencing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

import dev.distlock.FencedResource;
import dev.distlock.LockBackendException;
import dev.distlock.StaleFencingTokenException;
import dev.distlock.redis.RedisHashTag;
import dev.distlock.redis.RedisLockProvider;

/**
 * Fencing in Redis: one key per resource, {@code <prefix>fence:{<resource>}} (the resource escaped
 * as lock ids are, so any string is a resource and keys of distinct resources never collide), that
 * holds the highest token accepted; {@code fence-check.lua} compares and records in one round trip.
 *
 * <p>Redis has no transaction to join: the check is atomic on its own, and a write the caller
 * makes afterwards is a separate step. Use it where the protected resource is not a relational
 * database (with a database, {@code JdbcFencedResource} commits the check with the write). Fence
 * keys have no TTL: they must outlive every holder that could write late. Keep Redis persistence
 * on (RDB/AOF) if losing them on a restart matters; the {@code redis} provider's tokens grow with
 * the server clock, so they still increase after such a loss.
 */
public final class RedisFencedResource implements FencedResource {

	private static final Logger logger = LoggerFactory.getLogger(RedisFencedResource.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> CHECK = script("fence-check.lua");

	private final StringRedisTemplate template;

	private final String keyPrefix;

	/**
	 * Fencing under {@value RedisLockProvider#DEFAULT_KEY_PREFIX}.
	 * @param connectionFactory the application's Redis connection factory
	 */
	public RedisFencedResource(RedisConnectionFactory connectionFactory) {
		this(connectionFactory, RedisLockProvider.DEFAULT_KEY_PREFIX);
	}

	/**
	 * Fencing under the given prefix.
	 * @param connectionFactory the application's Redis connection factory
	 * @param keyPrefix {@code distlock.redis.key-prefix}; must not contain curly braces
	 */
	public RedisFencedResource(RedisConnectionFactory connectionFactory, String keyPrefix) {
		if (keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
			throw new IllegalArgumentException("distlock.redis.key-prefix must not contain '{' or '}' (was '"
					+ keyPrefix + "'): fence keys carry their own Redis Cluster hash tag");
		}
		this.template = new StringRedisTemplate(connectionFactory);
		this.keyPrefix = keyPrefix;
	}

	/** The Redis key that holds the highest token accepted for a resource. */
	public String fenceKey(String resource) {
		return this.keyPrefix + "fence:{" + RedisHashTag.of(resource) + "}";
	}

	@Override
	public void check(String resource, long token) {
		if (token < 1) {
			throw new IllegalArgumentException("Fencing token for resource '" + resource + "' must be positive, was "
					+ token);
		}
		List<?> result;
		try {
			result = this.template.execute(CHECK, List.of(fenceKey(resource)), Long.toString(token));
		}
		catch (DataAccessException ex) {
			throw new LockBackendException("fencing: checking resource '" + resource + "' in Redis failed: "
					+ ex.getMessage(), ex);
		}
		if (result == null || result.size() != 2) {
			throw new LockBackendException("fencing: checking resource '" + resource
					+ "' in Redis returned an unexpected reply: " + result);
		}
		if (((Number) result.get(0)).longValue() == 0) {
			long stored = Long.parseLong(String.valueOf(result.get(1)));
			logger.debug("Resource '{}' refused fencing token {} (stored: {})", resource, token, stored);
			throw new StaleFencingTokenException(resource, token, stored);
		}
	}

	@SuppressWarnings("rawtypes")
	private static RedisScript<List> script(String name) {
		ClassPathResource resource = new ClassPathResource(name, RedisFencedResource.class);
		try {
			return new DefaultRedisScript<>(resource.getContentAsString(StandardCharsets.UTF_8), List.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read Redis script " + resource, ex);
		}
	}

}
