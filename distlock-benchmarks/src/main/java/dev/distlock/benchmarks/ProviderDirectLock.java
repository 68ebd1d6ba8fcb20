package dev.distlock.benchmarks;


import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.distlock.redis.RedisLockProvider;

/**
 * The Redis provider's SPI called directly, without the engine: splits what the scripts and Spring
 * Data Redis cost from what the engine (gate, reentrancy, watchdog) adds. A waiter retries at once,
 * like the floor.
 */
final class ProviderDirectLock extends SpiDirectLock {

	private final LettuceConnectionFactory connectionFactory;

	ProviderDirectLock(String redisUrl) {
		this(connected(redisUrl));
	}

	private ProviderDirectLock(LettuceConnectionFactory connectionFactory) {
		super(new RedisLockProvider(connectionFactory, "distlock-bench:"), "direct");
		this.connectionFactory = connectionFactory;
	}

	private static LettuceConnectionFactory connected(String redisUrl) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				LettuceConnectionFactory.createRedisConfiguration(redisUrl));
		factory.afterPropertiesSet();
		return factory;
	}

	@Override
	public void close() {
		super.close();
		this.connectionFactory.destroy();
	}

}
