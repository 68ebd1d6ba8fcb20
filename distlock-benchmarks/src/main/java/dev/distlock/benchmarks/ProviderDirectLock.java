package dev.distlock.benchmarks;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.distlock.redis.RedisLockProvider;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;

/**
 * The Redis provider's SPI called directly, without the engine: splits what the scripts and Spring
 * Data Redis cost from what the engine (gate, reentrancy, watchdog) adds. A waiter retries at once,
 * like the floor.
 */
final class ProviderDirectLock implements LockUnderTest {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private static final AtomicLong owners = new AtomicLong();

	private final LettuceConnectionFactory connectionFactory;

	private final RedisLockProvider provider;

	ProviderDirectLock(String redisUrl) {
		this.connectionFactory = new LettuceConnectionFactory(LettuceConnectionFactory.createRedisConfiguration(redisUrl));
		this.connectionFactory.afterPropertiesSet();
		this.provider = new RedisLockProvider(this.connectionFactory, "distlock-bench:");
	}

	@Override
	public long runLocked(String key, Runnable section) {
		LeaseRequest request = new LeaseRequest(key, "direct#" + owners.incrementAndGet(), LEASE);
		long start = System.nanoTime();
		Optional<Lease> lease = this.provider.tryAcquire(request);
		while (lease.isEmpty()) {
			Thread.onSpinWait();
			lease = this.provider.tryAcquire(request);
		}
		long waited = System.nanoTime() - start;
		try {
			section.run();
		}
		finally {
			this.provider.release(lease.get());
		}
		return waited;
	}

	@Override
	public void close() {
		this.provider.close();
		this.connectionFactory.destroy();
	}

}
