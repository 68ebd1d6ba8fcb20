package dev.distlock.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.distlock.spi.BackendLock;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;
import dev.distlock.spi.ReleaseSubscription;

/**
 * Locks inside one JVM, for tests and local development. Several engines (simulated instances) may
 * share one provider. Expiry uses the monotonic clock; fencing tokens come from one counter, so they
 * strictly increase for every lock.
 */
public final class InMemoryLockProvider implements LockProvider {

	private final Map<String, Entry> locks = new ConcurrentHashMap<>();

	private final Map<String, List<Runnable>> releaseListeners = new ConcurrentHashMap<>();

	private final AtomicLong tokens = new AtomicLong();

	private final AtomicLong acquisitions = new AtomicLong();

	private static final int SWEEP_THRESHOLD = 10_000;

	private static final Set<ProviderCapability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
			ProviderCapability.RELEASE_NOTIFICATIONS, ProviderCapability.LISTING, ProviderCapability.FORCE_RELEASE));

	@Override
	public String id() {
		return "in-memory";
	}

	@Override
	public Optional<Lease> tryAcquire(LeaseRequest request) {
		long now = System.nanoTime();
		if (this.locks.size() > SWEEP_THRESHOLD && this.acquisitions.incrementAndGet() % SWEEP_THRESHOLD == 0) {
			// Expired leases that were never released would otherwise pile up with unique lock ids.
			this.locks.values().removeIf((entry) -> entry.expiredAt(now));
		}
		Entry granted = this.locks.compute(request.lockId(), (id, current) -> {
			if (current != null && !current.expiredAt(now)) {
				return current;
			}
			return new Entry(request.owner(), this.tokens.incrementAndGet(), now + request.leaseTime().toNanos());
		});
		if (!granted.owner.equals(request.owner())) {
			return Optional.empty();
		}
		return Optional.of(new Lease(request.lockId(), request.owner(), granted.token, request.leaseTime()));
	}

	@Override
	public boolean extend(Lease lease, Duration leaseTime) {
		long now = System.nanoTime();
		Entry extended = this.locks.computeIfPresent(lease.lockId(), (id, current) -> {
			if (current.isHeldBy(lease, now)) {
				return new Entry(current.owner, current.token, now + leaseTime.toNanos());
			}
			return current;
		});
		return extended != null && extended.isHeldBy(lease, now);
	}

	@Override
	public void release(Lease lease) {
		long now = System.nanoTime();
		boolean[] released = new boolean[1];
		this.locks.computeIfPresent(lease.lockId(), (id, current) -> {
			if (current.isHeldBy(lease, now)) {
				released[0] = true;
				return null;
			}
			return current;
		});
		if (released[0]) {
			notifyReleased(lease.lockId());
		}
	}

	@Override
	public Set<ProviderCapability> capabilities() {
		return CAPABILITIES;
	}

	@Override
	public ReleaseSubscription onRelease(String lockId, Runnable listener) {
		this.releaseListeners.computeIfAbsent(lockId, (id) -> new CopyOnWriteArrayList<>()).add(listener);
		return () -> this.releaseListeners.computeIfPresent(lockId, (id, listeners) -> {
			listeners.remove(listener);
			return listeners.isEmpty() ? null : listeners;
		});
	}

	@Override
	public List<BackendLock> listLocks() {
		long now = System.nanoTime();
		Instant wallNow = Instant.now();
		List<BackendLock> held = new ArrayList<>();
		this.locks.forEach((id, entry) -> {
			if (!entry.expiredAt(now)) {
				held.add(new BackendLock(id, entry.owner, entry.token, wallNow.plusNanos(entry.expiresAtNanos - now)));
			}
		});
		return held;
	}

	@Override
	public boolean forceRelease(String lockId) {
		Entry removed = this.locks.remove(lockId);
		if (removed == null) {
			return false;
		}
		notifyReleased(lockId);
		return !removed.expiredAt(System.nanoTime());
	}

	@Override
	public void checkHealth() {
	}

	private void notifyReleased(String lockId) {
		List<Runnable> listeners = this.releaseListeners.get(lockId);
		if (listeners != null) {
			listeners.forEach(Runnable::run);
		}
	}

	private record Entry(String owner, long token, long expiresAtNanos) {

		boolean expiredAt(long nowNanos) {
			return nowNanos - this.expiresAtNanos >= 0;
		}

		boolean isHeldBy(Lease lease, long nowNanos) {
			return this.owner.equals(lease.owner()) && !expiredAt(nowNanos);
		}

	}

}
