package dev.distlock.actuate;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import dev.distlock.LockBackendException;
import dev.distlock.memory.InMemoryLockProvider;
import dev.distlock.spi.BackendLock;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ReleaseSubscription;

/**
 * An in-memory provider whose backend a test can take down: its health check and acquisitions can
 * be made to fail, and its health check to hang until the backend "returns", which a real backend
 * cannot be made to do reliably. Real backends that a test stops and starts:
 * {@link DistlockHealthRedisOutageTests}, {@link DistlockHealthJdbcOutageTests}.
 */
final class ControllableLockProvider implements LockProvider {

	private final InMemoryLockProvider delegate = new InMemoryLockProvider();

	private final AtomicReference<Backend> backend = new AtomicReference<>(Backend.UP);

	private volatile CountDownLatch returned = new CountDownLatch(0);

	/** The backend answers. */
	void up() {
		this.backend.set(Backend.UP);
		this.returned.countDown();
	}

	/** The backend refuses connections: calls fail at once. */
	void down() {
		this.backend.set(Backend.DOWN);
	}

	/** The backend accepts connections but never answers the health check until {@link #up()}. */
	void hang() {
		this.returned = new CountDownLatch(1);
		this.backend.set(Backend.HANGING);
	}

	@Override
	public String id() {
		return this.delegate.id();
	}

	@Override
	public Optional<Lease> tryAcquire(LeaseRequest request) {
		failIfDown();
		return this.delegate.tryAcquire(request);
	}

	@Override
	public boolean extend(Lease lease, Duration leaseTime) {
		failIfDown();
		return this.delegate.extend(lease, leaseTime);
	}

	@Override
	public Set<Lease> extendAll(Collection<Lease> leases) {
		failIfDown();
		return this.delegate.extendAll(leases);
	}

	@Override
	public void release(Lease lease) {
		failIfDown();
		this.delegate.release(lease);
	}

	@Override
	public boolean notifiesReleases() {
		return this.delegate.notifiesReleases();
	}

	@Override
	public ReleaseSubscription onRelease(String lockId, Runnable listener) {
		return this.delegate.onRelease(lockId, listener);
	}

	@Override
	public Optional<List<BackendLock>> listLocks() {
		failIfDown();
		return this.delegate.listLocks();
	}

	@Override
	public boolean forceRelease(String lockId) {
		failIfDown();
		return this.delegate.forceRelease(lockId);
	}

	@Override
	public void checkHealth() {
		if (this.backend.get() == Backend.HANGING) {
			try {
				this.returned.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		failIfDown();
		this.delegate.checkHealth();
	}

	private void failIfDown() {
		if (this.backend.get() == Backend.DOWN) {
			throw new LockBackendException("Connection refused: the test backend is down");
		}
	}

	private enum Backend {

		UP, DOWN, HANGING

	}

}
