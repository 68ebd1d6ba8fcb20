package dev.distlock.redis;

import java.time.Duration;
import java.util.List;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.distlock.spi.ForwardingLockProvider;
import dev.distlock.spi.LockProvider;

/**
 * Lettuce connection factories for tests, one per simulated application instance. The command
 * timeout is short so a test against an unreachable Redis fails in seconds, not Lettuce's 60 s.
 */
final class RedisTestConnections {

	/** The shared Redis on loopback, from {@code DISTLOCK_TEST_REDIS_URL}. */
	static final String SHARED_URL = System.getenv().getOrDefault("DISTLOCK_TEST_REDIS_URL", "redis://127.0.0.1:6379");

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

	private RedisTestConnections() {
	}

	static LettuceConnectionFactory standalone(String url) {
		return started(new LettuceConnectionFactory(LettuceConnectionFactory.createRedisConfiguration(url), client()));
	}

	static LettuceConnectionFactory standalone(int port) {
		return standalone("redis://127.0.0.1:" + port);
	}

	static LettuceConnectionFactory cluster(List<String> nodes) {
		return started(new LettuceConnectionFactory(new RedisClusterConfiguration(nodes), client()));
	}

	/** A provider on a loopback port where nothing listens; closing it closes its connection factory. */
	static LockProvider unreachableProvider() {
		LettuceConnectionFactory factory = standalone(1);
		return new ForwardingLockProvider(new RedisLockProvider(factory)) {
			@Override
			public void close() {
				super.close();
				factory.destroy();
			}
		};
	}

	private static LettuceClientConfiguration client() {
		return LettuceClientConfiguration.builder().commandTimeout(COMMAND_TIMEOUT).build();
	}

	private static LettuceConnectionFactory started(LettuceConnectionFactory factory) {
		factory.afterPropertiesSet();
		return factory;
	}

}
