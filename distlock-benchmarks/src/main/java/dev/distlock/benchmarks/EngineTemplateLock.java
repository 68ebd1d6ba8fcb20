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

/**
 * distlock as an application uses it programmatically: {@code LockTemplate.acquire} on a
 * {@link LockEngine} over the Redis provider, with the default auto-renewal (watchdog) and a 30 s
 * lease. One connection factory, provider, watchdog and engine per instance, as in an application.
 */
final class EngineTemplateLock implements LockUnderTest {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private final LettuceConnectionFactory connectionFactory;

	private final RedisLockProvider provider;

	private final LeaseWatchdog watchdog = new LeaseWatchdog();

	private final LockEngine engine;

	EngineTemplateLock(String redisUrl) {
		this.connectionFactory = new LettuceConnectionFactory(LettuceConnectionFactory.createRedisConfiguration(redisUrl));
		this.connectionFactory.afterPropertiesSet();
		this.provider = new RedisLockProvider(this.connectionFactory, "distlock-bench:");
		this.engine = new LockEngine(this.provider, this.watchdog,
				EngineSettings.defaults("bench-" + UUID.randomUUID().toString().substring(0, 8)), LockEngineObserver.NOOP);
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
		this.connectionFactory.destroy();
	}

}
