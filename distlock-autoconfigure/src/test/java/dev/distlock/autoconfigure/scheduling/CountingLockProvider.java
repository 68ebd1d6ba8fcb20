package dev.distlock.autoconfigure.scheduling;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import dev.distlock.spi.ForwardingLockProvider;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;

/**
 * Counts the round trips an instance makes, split into slot claims ({@code <job>@<slot>} ids) and
 * the job's lock, and how long claim attempts take: what a once-per-tick run costs on a provider.
 */
final class CountingLockProvider extends ForwardingLockProvider {

	final AtomicLong claimAttempts = new AtomicLong();

	final Queue<Long> claimNanos = new ConcurrentLinkedQueue<>();

	final AtomicLong claimReleases = new AtomicLong();

	final AtomicLong lockCalls = new AtomicLong();

	final Queue<Long> lockAcquireNanos = new ConcurrentLinkedQueue<>();

	CountingLockProvider(LockProvider delegate) {
		super(delegate);
	}

	@Override
	public Optional<Lease> tryAcquire(LeaseRequest request) {
		boolean claim = isClaim(request.lockId());
		long start = System.nanoTime();
		try {
			return super.tryAcquire(request);
		}
		finally {
			long elapsed = System.nanoTime() - start;
			if (claim) {
				this.claimAttempts.incrementAndGet();
				this.claimNanos.add(elapsed);
			}
			else {
				this.lockCalls.incrementAndGet();
				this.lockAcquireNanos.add(elapsed);
			}
		}
	}

	@Override
	public boolean extend(Lease lease, Duration leaseTime) {
		count(lease.lockId());
		return super.extend(lease, leaseTime);
	}

	@Override
	public Set<Lease> extendAll(Collection<Lease> leases) {
		this.lockCalls.incrementAndGet();
		return super.extendAll(leases);
	}

	@Override
	public void release(Lease lease) {
		count(lease.lockId());
		super.release(lease);
	}

	private void count(String lockId) {
		(isClaim(lockId) ? this.claimReleases : this.lockCalls).incrementAndGet();
	}

	/** The median of the durations in microseconds, or -1 without any. */
	static long medianMicros(Queue<Long> nanos) {
		List<Long> sorted = nanos.stream().sorted().toList();
		return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2) / 1000;
	}

	private static boolean isClaim(String lockId) {
		return lockId.contains("@");
	}

}
