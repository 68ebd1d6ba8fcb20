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
import dev.distlock.spi.ForwardingLockProvider;

/**
 * An in-memory provider whose backend a test can take down: its health check and acquisitions can
 * be made to fail, and its health check to hang until the backend "returns", which a real backend
 * cannot be made to do reliably. Real backends that a test stops and starts:
 * {@link DistlockHealthRedisOutageTests}, {@link DistlockHealthJdbcOutageTests}.
 */
final class ControllableLockProvider extends ForwardingLockProvider {

	private final AtomicReference<Backend> backend = new AtomicReference<>(Backend.UP);

	private volatile CountDownLatch returned = new CountDownLatch(0);

	ControllableLockProvider() {
		super(new InMemoryLockProvider());
	}

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
	public Optional<Lease> tryAcquire(LeaseRequest request) {
		failIfDown();
		return super.tryAcquire(request);
	}

	@Override
	public boolean extend(Lease lease, Duration leaseTime) {
		failIfDown();
		return super.extend(lease, leaseTime);
	}

	@Override
	public Set<Lease> extendAll(Collection<Lease> leases) {
		failIfDown();
		return super.extendAll(leases);
	}

	@Override
	public void release(Lease lease) {
		failIfDown();
		super.release(lease);
	}

	@Override
	public List<BackendLock> listLocks() {
		failIfDown();
		return super.listLocks();
	}

	@Override
	public boolean forceRelease(String lockId) {
		failIfDown();
		return super.forceRelease(lockId);
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
		super.checkHealth();
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
