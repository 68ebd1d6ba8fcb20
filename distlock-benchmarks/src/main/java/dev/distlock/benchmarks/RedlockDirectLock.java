package dev.distlock.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.distlock.redis.redlock.RedlockConnections;
import dev.distlock.redis.redlock.RedlockProvider;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;

/**
 * The redlock provider through the SPI, no engine: the same loop as {@link ProviderDirectLock}, so
 * the two rows compare one node with N nodes (a parallel round, plus the token write-back round).
 */
final class RedlockDirectLock implements LockUnderTest {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private static final AtomicLong owners = new AtomicLong();

	private final RedlockProvider provider;

	RedlockDirectLock(List<String> nodeUrls) {
		this.provider = new RedlockProvider(
				RedlockConnections.connect(nodeUrls, "distlock-bench:", RedlockProvider.DEFAULT_NODE_TIMEOUT),
				RedlockProvider.DEFAULT_NODE_TIMEOUT);
	}

	@Override
	public long runLocked(String key, Runnable section) {
		LeaseRequest request = new LeaseRequest(key, "redlock#" + owners.incrementAndGet(), LEASE);
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
	}

}
