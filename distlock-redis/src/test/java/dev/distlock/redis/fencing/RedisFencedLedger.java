package dev.distlock.redis.fencing;

import java.time.Duration;
import java.util.List;

import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.distlock.FencedResource;
import dev.distlock.redis.RedisHashTag;

/**
 * A protected resource in Redis for the tests: a list per resource. Redis has no transaction to
 * join, so the write follows the check and does not happen when the check refuses.
 */
final class RedisFencedLedger {

	private final StringRedisTemplate redis;

	private final FencedResource fence;

	private final String keyPrefix;

	RedisFencedLedger(LettuceConnectionFactory connections, FencedResource fence, String keyPrefix) {
		this.redis = new StringRedisTemplate(connections);
		this.fence = fence;
		this.keyPrefix = keyPrefix;
	}

	static LettuceConnectionFactory connect(String url) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				LettuceConnectionFactory.createRedisConfiguration(url),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(5)).build());
		factory.afterPropertiesSet();
		return factory;
	}

	void write(String resource, String writer) {
		this.fence.check(resource);
		this.redis.opsForList().rightPush(key(resource), writer);
	}

	List<String> writers(String resource) {
		return this.redis.opsForList().range(key(resource), 0, -1);
	}

	private String key(String resource) {
		return this.keyPrefix + "ledger:{" + RedisHashTag.of(resource) + "}";
	}

}
