package dev.distlock.benchmarks;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;

/**
 * A provider's SPI called directly, without the engine: one acquire attempt after another (a waiter
 * retries at once, like the floor), then the section, then a release. Subclasses build the provider
 * and close what they opened for it.
 */
abstract class SpiDirectLock implements LockUnderTest {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private static final AtomicLong owners = new AtomicLong();

	private final LockProvider provider;

	private final String ownerPrefix;

	SpiDirectLock(LockProvider provider, String ownerPrefix) {
		this.provider = provider;
		this.ownerPrefix = ownerPrefix;
	}

	@Override
	public final long runLocked(String key, Runnable section) {
		LeaseRequest request = new LeaseRequest(key, this.ownerPrefix + "#" + owners.incrementAndGet(), LEASE);
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
