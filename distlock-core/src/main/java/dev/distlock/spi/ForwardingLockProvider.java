package dev.distlock.spi;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A provider that forwards every call to another one: extend it to decorate a provider (count
 * calls, add logging, inject faults in tests) by overriding only what changes. Every method,
 * {@link #capabilities()} included, is forwarded, so the decorated provider keeps all it can do;
 * override {@code capabilities()} to take one away. A decorator that overrides {@link #tryAcquire}
 * should override {@link #awaitAcquire} too: a provider that waits in its backend grants through it.
 */
public abstract class ForwardingLockProvider implements LockProvider {

	private final LockProvider delegate;

	protected ForwardingLockProvider(LockProvider delegate) {
		this.delegate = delegate;
	}

	/** The provider calls are forwarded to. */
	protected final LockProvider delegate() {
		return this.delegate;
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
	public Optional<AwaitedLease> awaitAcquire(LeaseRequest request, Duration maxWait) {
		return this.delegate.awaitAcquire(request, maxWait);
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
	public Set<ProviderCapability> capabilities() {
		return this.delegate.capabilities();
	}

	@Override
	public ReleaseSubscription onRelease(String lockId, Runnable listener) {
		return this.delegate.onRelease(lockId, listener);
	}

	@Override
	public List<BackendLock> listLocks() {
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
