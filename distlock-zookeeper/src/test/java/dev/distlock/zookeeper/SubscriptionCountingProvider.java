package dev.distlock.zookeeper;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.distlock.spi.BackendLock;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ReleaseSubscription;

/** Passes every call to a provider and counts release subscriptions, so a test knows when a waiter sleeps. */
final class SubscriptionCountingProvider implements LockProvider {

	private final LockProvider delegate;

	private final AtomicInteger subscriptions = new AtomicInteger();

	SubscriptionCountingProvider(LockProvider delegate) {
		this.delegate = delegate;
	}

	int subscriptions() {
		return this.subscriptions.get();
	}

	@Override
	public String id() {
		return this.delegate.id();
	}

	@Override
	public Optional<Lease> tryAcquire(LeaseRequest request) {
		return this.delegate.tryAcquire(request);
	}

	@Override
	public boolean extend(Lease lease, Duration leaseTime) {
		return this.delegate.extend(lease, leaseTime);
	}

	@Override
	public Set<Lease> extendAll(Collection<Lease> leases) {
		return this.delegate.extendAll(leases);
	}

	@Override
	public void release(Lease lease) {
		this.delegate.release(lease);
	}

	@Override
	public boolean notifiesReleases() {
		return this.delegate.notifiesReleases();
	}

	@Override
	public ReleaseSubscription onRelease(String lockId, Runnable listener) {
		ReleaseSubscription subscription = this.delegate.onRelease(lockId, listener);
		this.subscriptions.incrementAndGet();
		return subscription;
	}

	@Override
	public boolean isSessionScoped() {
		return this.delegate.isSessionScoped();
	}

	@Override
	public Optional<List<BackendLock>> listLocks() {
		return this.delegate.listLocks();
	}

	@Override
	public Optional<BackendLock> inspect(String lockId) {
		return this.delegate.inspect(lockId);
	}

	@Override
	public boolean forceRelease(String lockId) {
		return this.delegate.forceRelease(lockId);
	}

	@Override
	public void checkHealth() {
		this.delegate.checkHealth();
	}

	@Override
	public void close() {
		this.delegate.close();
	}

}
