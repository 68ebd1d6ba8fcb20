package dev.distlock.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.DistributedLockException;
import dev.distlock.LockBackendException;
import dev.distlock.LockCallback;
import dev.distlock.LockHandle;
import dev.distlock.LockNotAcquiredException;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ReleaseSubscription;

/**
 * Runs lock requests against one {@link LockProvider}: the in-JVM gate, per-thread reentrancy,
 * waiting with provider wake-ups or jittered back-off, minimum hold times and lease supervision by
 * the shared {@link LeaseWatchdog}.
 */
public final class LockEngine implements LockTemplate {

	private static final Logger logger = LoggerFactory.getLogger(LockEngine.class);

	/** First pause between attempts when the provider cannot wake waiters. */
	private static final long POLL_INITIAL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	/** Longest pause between attempts when the provider cannot wake waiters. */
	private static final long POLL_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

	/**
	 * Longest pause when the provider does wake waiters: only catches expired leases and lost
	 * notifications.
	 */
	private static final long NOTIFIED_POLL_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

	private final LockProvider provider;

	private final LeaseWatchdog watchdog;

	private final EngineSettings settings;

	private final LockEngineObserver observer;

	private final LocalGates gates = new LocalGates();

	private final Map<String, Grant> held = new ConcurrentHashMap<>();

	private final AtomicLong grantCounter = new AtomicLong();

	private final String ownerPrefix;

	private final AtomicLong leasesLost = new AtomicLong();

	public LockEngine(LockProvider provider, LeaseWatchdog watchdog, EngineSettings settings,
			LockEngineObserver observer) {
		this.provider = provider;
		this.watchdog = watchdog;
		this.settings = settings;
		this.observer = GuardedObserver.of(observer);
		this.ownerPrefix = settings.instanceId() + "#" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
				+ ".";
	}

	@Override
	public LockHandle acquire(LockRequest request) {
		return acquire(request, LockOrigin.template(request.lockId()));
	}

	@Override
	public Optional<LockHandle> tryAcquire(LockRequest request) {
		return tryAcquire(request, LockOrigin.template(request.lockId()));
	}

	@Override
	public <T> T execute(LockRequest request, LockCallback<T> callback) {
		try (LockHandle handle = acquire(request)) {
			return callback.doWithLock(handle);
		}
	}

	@Override
	public boolean tryRun(LockRequest request, Runnable task) {
		Optional<LockHandle> handle = tryAcquire(request);
		if (handle.isEmpty()) {
			return false;
		}
		try (LockHandle held = handle.get()) {
			task.run();
			return true;
		}
	}

	/**
	 * Acquires the lock for the given origin.
	 * @throws LockNotAcquiredException if it stayed busy for the whole wait time
	 */
	public LockHandle acquire(LockRequest request, LockOrigin origin) {
		return tryAcquire(request, origin).orElseThrow(() -> new LockNotAcquiredException(request.lockId(),
				"Lock '" + request.lockId() + "' is held elsewhere; not acquired within " + waitTime(request)));
	}

	/**
	 * Acquires the lock for the given origin, waiting up to the request's wait time.
	 * @return empty if the lock stayed busy
	 * @throws LockBackendException if the backend failed
	 */
	public Optional<LockHandle> tryAcquire(LockRequest request, LockOrigin origin) {
		Grant current = this.held.get(request.lockId());
		if (current != null && current.isOwnedBy(Thread.currentThread()) && !current.isClosed()) {
			return Optional.of(reenter(current));
		}
		LockEngineObserver.AcquireObservation observation = this.observer.acquireStarted(this.provider.id(), origin);
		try {
			Optional<LockHandle> handle = acquireNew(request, origin);
			if (handle.isPresent()) {
				observation.acquired();
			}
			else {
				observation.busy();
			}
			return handle;
		}
		catch (RuntimeException ex) {
			observation.failed(ex);
			throw ex;
		}
	}

	private LockHandle reenter(Grant grant) {
		grant.checkValid();
		Reentry reentry = new Reentry(grant);
		ThreadLockStack.push(reentry);
		return reentry;
	}

	private Optional<LockHandle> acquireNew(LockRequest request, LockOrigin origin) {
		Duration leaseTime = leaseTime(request);
		if (request.minHoldTime().compareTo(leaseTime) > 0) {
			throw new IllegalArgumentException("minHoldTime " + request.minHoldTime() + " of lock '" + request.lockId()
					+ "' is longer than its leaseTime " + leaseTime + "; the lease would end before it");
		}
		long deadline = System.nanoTime() + waitTime(request).toNanos();
		LocalGates.Gate gate;
		try {
			gate = this.gates.pass(request.lockId(), deadline - System.nanoTime());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LockNotAcquiredException(request.lockId(), "Interrupted while waiting for lock '"
					+ request.lockId() + "'");
		}
		if (gate == null) {
			logger.debug("Lock '{}' is held by another thread of this instance", request.lockId());
			return Optional.empty();
		}
		try {
			LeaseRequest leaseRequest = new LeaseRequest(request.lockId(), nextOwner(), leaseTime);
			Optional<Attempt> won = acquireFromBackend(leaseRequest, deadline);
			if (won.isEmpty()) {
				gate.leave();
				logger.debug("Lock '{}' is held by another instance", request.lockId());
				return Optional.empty();
			}
			Grant grant = new Grant(this, won.get().lease(), origin, request.minHoldTime(), request.autoRenew(),
					won.get().startNanos(), won.get().startAt(), gate);
			register(grant);
			logger.debug("Acquired lock '{}' with fencing token {}", request.lockId(), grant.fencingToken());
			return Optional.of(grant);
		}
		catch (DistributedLockException ex) {
			gate.leave();
			throw ex;
		}
		catch (RuntimeException ex) {
			gate.leave();
			throw new LockBackendException(
					"Acquiring lock '" + request.lockId() + "' on " + this.provider.id() + " failed: " + ex, ex);
		}
		catch (Error ex) {
			gate.leave();
			throw ex;
		}
	}

	/**
	 * Makes a won grant known (reentrancy, LockContext, watchdog). If that fails, the grant is undone
	 * entirely, the backend lease included, so nothing holds a lock whose handle never reached anyone.
	 */
	private void register(Grant grant) {
		try {
			this.held.put(grant.lockId(), grant);
			ThreadLockStack.push(grant);
			supervise(grant);
		}
		catch (RuntimeException | Error ex) {
			this.watchdog.unregister(grant);
			this.held.remove(grant.lockId(), grant);
			ThreadLockStack.remove(grant);
			releaseQuietly(grant.lease());
			throw ex;
		}
	}

	private Optional<Attempt> acquireFromBackend(LeaseRequest request, long deadline) {
		Optional<Attempt> won = attempt(request);
		if (won.isPresent() || deadline - System.nanoTime() <= 0) {
			return won;
		}
		boolean notified = this.provider.notifiesReleases();
		Semaphore wake = new Semaphore(0);
		Backoff backoff = new Backoff(POLL_INITIAL_NANOS, notified ? NOTIFIED_POLL_MAX_NANOS : POLL_MAX_NANOS);
		ReleaseSubscription subscription = notified ? this.provider.onRelease(request.lockId(), wake::release)
				: ReleaseSubscription.NONE;
		try {
			while (true) {
				// Try again right after subscribing: the lock may have been released in between.
				won = attempt(request);
				long remaining = deadline - System.nanoTime();
				if (won.isPresent() || remaining <= 0) {
					return won;
				}
				if (wake.tryAcquire(Math.min(remaining, backoff.nextPauseNanos()), TimeUnit.NANOSECONDS)) {
					wake.drainPermits();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LockNotAcquiredException(request.lockId(),
					"Interrupted while waiting for lock '" + request.lockId() + "'");
		}
		finally {
			unsubscribeQuietly(subscription, request.lockId());
		}
	}

	/** A failing unsubscribe must not lose a lease just won. */
	private static void unsubscribeQuietly(ReleaseSubscription subscription, String lockId) {
		try {
			subscription.close();
		}
		catch (RuntimeException ex) {
			logger.warn("Closing the release subscription of lock '{}' failed: {}", lockId, ex.toString());
		}
	}

	/** One attempt; a grant counts from the start of the round trip that won it (conservative). */
	private Optional<Attempt> attempt(LeaseRequest request) {
		long startNanos = System.nanoTime();
		Instant startAt = this.settings.clock().instant();
		return this.provider.tryAcquire(request).map((lease) -> new Attempt(lease, startNanos, startAt));
	}

	private record Attempt(Lease lease, long startNanos, Instant startAt) {
	}

	private void supervise(Grant grant) {
		if (grant.autoRenew()) {
			this.watchdog.register(grant);
		}
		else if (this.provider.isSessionScoped()) {
			// No backend TTL: end the lease ourselves when its time is up.
			this.watchdog.schedule(() -> endUnrenewedLease(grant), grant.lease().leaseTime().toNanos());
		}
	}

	private void endUnrenewedLease(Grant grant) {
		if (!grant.isClosed() && grant.invalidate("lease time " + grant.lease().leaseTime() + " ended (autoRenew=false)")) {
			logger.debug("Lease on lock '{}' ended after its lease time; releasing it", grant.lockId());
			releaseQuietly(grant.lease());
		}
	}

	/** Called once by {@link Grant#close()}. */
	void release(Grant grant) {
		this.watchdog.unregister(grant);
		this.held.remove(grant.lockId(), grant);
		ThreadLockStack.remove(grant);
		try {
			if (grant.isLeaseValid()) {
				releaseAfterMinHold(grant);
			}
			else if (this.provider.isSessionScoped()) {
				// A session lock we no longer trust may still be held by our session: make sure it goes.
				releaseQuietly(grant.lease());
			}
		}
		finally {
			grant.gate().leave();
			this.observer.released(this.provider.id(), grant.origin(),
					Duration.ofNanos(System.nanoTime() - grant.acquiredNanos()));
			logger.debug("Released lock '{}' (fencing token {})", grant.lockId(), grant.fencingToken());
		}
	}

	private void releaseAfterMinHold(Grant grant) {
		long remainingHold = grant.minHoldTime().toNanos() - (System.nanoTime() - grant.acquiredNanos());
		if (remainingHold <= 0) {
			releaseQuietly(grant.lease());
		}
		else if (this.provider.isSessionScoped()) {
			this.watchdog.schedule(() -> releaseQuietly(grant.lease()), remainingHold);
		}
		else {
			// Shorten the lease to the rest of the minimum hold: the backend ends it even if we crash.
			try {
				this.provider.extend(grant.lease(), Duration.ofNanos(remainingHold));
			}
			catch (RuntimeException ex) {
				logger.warn("Could not shorten the lease on lock '{}' to its minimum hold time; it ends with its lease",
						grant.lockId(), ex);
			}
		}
	}

	private void releaseQuietly(Lease lease) {
		try {
			this.provider.release(lease);
		}
		catch (RuntimeException ex) {
			logger.warn("Releasing lock '{}' failed; the backend ends it when its lease runs out: {}", lease.lockId(),
					ex.toString());
		}
	}

	/**
	 * Called by the watchdog when a renewal's round trip overlapped the grant's release: the renewal
	 * may have stretched the lease back to its full time after the release shortened it to the rest
	 * of its minimum hold, so end it again as the release did.
	 */
	void renewedAfterRelease(Grant grant) {
		if (!this.provider.isSessionScoped()) {
			releaseAfterMinHold(grant);
		}
	}

	/** Called when a held lease is found lost (by the watchdog, the handle, or a force release). */
	void leaseLost(Grant grant, String reason) {
		if (grant.isClosed() || !grant.invalidate(reason)) {
			return;
		}
		this.watchdog.unregister(grant);
		this.leasesLost.incrementAndGet();
		logger.warn("Lease on lock '{}' (fencing token {}) is lost: {}", grant.lockId(), grant.fencingToken(), reason);
		this.observer.leaseLost(this.provider.id(), grant.origin(), grant.lockId(), grant.fencingToken(), reason);
		Thread thread = grant.owningThread();
		if (this.settings.interruptOnLeaseLost() && thread != null) {
			thread.interrupt();
		}
	}

	/**
	 * Detaches a handle from the current thread because the protected work continues elsewhere (an
	 * asynchronous result): the thread may then neither re-enter it nor see it in
	 * {@link dev.distlock.LockContext}.
	 */
	public void detachFromCurrentThread(LockHandle handle) {
		if (handle instanceof Grant grant) {
			grant.detachFromThread();
		}
		ThreadLockStack.remove(handle);
	}

	/**
	 * The locks this engine holds right now: grants not yet released whose lease is still valid (a
	 * grant whose lease was lost is no longer held, even while its method still runs).
	 */
	public List<HeldLock> heldLocks() {
		return this.held.values().stream().filter(Grant::isValid).map(Grant::describe).toList();
	}

	/** The held lock with this id, if this engine holds it with a valid lease. */
	public Optional<HeldLock> heldLock(String lockId) {
		return Optional.ofNullable(this.held.get(lockId)).filter(Grant::isValid).map(Grant::describe);
	}

	/**
	 * Releases the lock in the backend whoever holds it, for operators; if this engine holds it, its
	 * grant is marked lost at once rather than at its next renewal.
	 * @return whether a lock was held and is now released
	 * @throws UnsupportedOperationException if the provider cannot release another owner's lock
	 */
	public boolean forceRelease(String lockId) {
		boolean released = this.provider.forceRelease(lockId);
		Grant local = this.held.get(lockId);
		if (released && local != null) {
			leaseLost(local, "force-released by an operator");
		}
		return released;
	}

	/** How many leases this engine found lost since it started. */
	public long leasesLost() {
		return this.leasesLost.get();
	}

	public LockProvider provider() {
		return this.provider;
	}

	public EngineSettings settings() {
		return this.settings;
	}

	LockEngineObserver observer() {
		return this.observer;
	}

	/**
	 * {@code instanceId#nonce.n}: the random nonce keeps owners unique even when two processes share
	 * an instance id (replicas with the same configured id, a restart with a fixed id), so no backend
	 * can mistake another process's grant for its own.
	 */
	private String nextOwner() {
		return this.ownerPrefix + this.grantCounter.incrementAndGet();
	}

	private Duration leaseTime(LockRequest request) {
		return (request.leaseTime() != null) ? request.leaseTime() : this.settings.defaultLeaseTime();
	}

	private Duration waitTime(LockRequest request) {
		return (request.waitTime() != null) ? request.waitTime() : this.settings.defaultWaitTime();
	}

}
