package dev.distlock.benchmarks;

import java.time.Duration;
import java.util.UUID;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.redis.RedisLockProvider;
import dev.distlock.spi.LockProvider;

/**
 * distlock as an application uses it programmatically: {@code LockTemplate.acquire} on a
 * {@link LockEngine} over a provider, with the default auto-renewal (watchdog), wake-ups and a 30 s
 * lease. One client, provider, watchdog and engine per instance, as in an application.
 */
final class EngineTemplateLock implements LockUnderTest {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private final LockProvider provider;

	private final Runnable closeClient;

	private final LeaseWatchdog watchdog = new LeaseWatchdog();

	private final LockEngine engine;

	/**
	 * @param provider the instance's provider
	 * @param closeClient closes what the provider was built on, after the provider
	 */
	EngineTemplateLock(LockProvider provider, Runnable closeClient) {
		this.provider = provider;
		this.closeClient = closeClient;
		this.engine = new LockEngine(this.provider, this.watchdog,
				EngineSettings.defaults("bench-" + UUID.randomUUID().toString().substring(0, 8)), LockEngineObserver.NOOP);
	}

	/** On the Redis provider, with its own Lettuce connection factory. */
	static EngineTemplateLock redis(String redisUrl) {
		LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(
				LettuceConnectionFactory.createRedisConfiguration(redisUrl));
		connectionFactory.afterPropertiesSet();
		return new EngineTemplateLock(new RedisLockProvider(connectionFactory, "distlock-bench:"),
				connectionFactory::destroy);
	}

	@Override
	public long runLocked(String key, Runnable section) {
		long start = System.nanoTime();
		try (LockHandle handle = this.engine.acquire(LockRequest.of(key).waitTime(WAIT))) {
			long waited = System.nanoTime() - start;
			section.run();
			return waited;
		}
	}

	@Override
	public void close() {
		this.provider.close();
		this.watchdog.close();
		this.closeClient.run();
	}

}
