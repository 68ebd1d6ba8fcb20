package dev.distlock.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.DistributedLockException;
import dev.distlock.LockBackendException;
import dev.distlock.LockCallback;
import dev.distlock.LockHandle;
import dev.distlock.LockNotAcquiredException;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.spi.BackendLock;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;
import dev.distlock.spi.ReleaseSubscription;

/**
 * Runs lock requests against one {@link LockProvider}: the in-JVM gate, per-thread reentrancy,
 * waiting with provider wake-ups or jittered back-off, minimum hold times and lease supervision by
 * the shared {@link LeaseWatchdog}. What a lease's end means in the backend is the
 * {@link LeasePolicy}'s, chosen once from the provider's capabilities.
 *
 * <p>A grant ends exactly once (see {@link Grant}): when its holder closes it, when its lease is
 * found lost, or when its local expiry passes without auto-renewal. Then the in-JVM gate opens for
 * this instance's other threads, the lock leaves {@link #heldLocks()}, and the holder's own thread
 * gets a new grant if it asks again.
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

	private final LeasePolicy policy;

	private final boolean releaseNotifications;

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
		this.policy = LeasePolicy.of(provider, watchdog);
		this.releaseNotifications = provider.capabilities().contains(ProviderCapability.RELEASE_NOTIFICATIONS);
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
			if (current.isLeaseValid()) {
				return Optional.of(reenter(current));
			}
			// The thread's own lease ended and it never closed the handle: it holds nothing any more,
			// so this is a new acquisition. End the old grant first, so its gate is free to pass.
			end(current, false);
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
			// Ended here without giving the gate back: the caller leaves it, once.
			grant.end(() -> {
				this.watchdog.unregister(grant);
				this.held.remove(grant.lockId(), grant);
				ThreadLockStack.remove(grant);
				this.policy.releaseQuietly(grant.lease());
			});
			throw ex;
		}
	}

	private Optional<Attempt> acquireFromBackend(LeaseRequest request, long deadline) {
		Optional<Attempt> won = attempt(request);
		if (won.isPresent() || deadline - System.nanoTime() <= 0) {
			return won;
		}
		boolean notified = this.releaseNotifications;
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
		else {
			this.watchdog.schedule(() -> endWhenDue(grant), grant.leaseTime().toNanos());
		}
	}

	/** The end of a lease without auto-renewal: at its local expiry, which an extend may have moved. */
	private void endWhenDue(Grant grant) {
		if (grant.isEnded()) {
			return;
		}
		long remaining = grant.remainingNanos(System.nanoTime());
		if (remaining > 0) {
			this.watchdog.schedule(() -> endWhenDue(grant), remaining);
			return;
		}
		grant.invalidate("lease time " + grant.leaseTime() + " ended (autoRenew=false)");
		logger.debug("Lease on lock '{}' ended after its lease time", grant.lockId());
		end(grant, false);
	}

	/** Called once by {@link Grant#close()}. */
	void release(Grant grant) {
		ThreadLockStack.remove(grant);
		end(grant, true);
	}

	/**
	 * Ends the grant unless it already ended: forgets it, lets the backend lease end as the policy
	 * says, and gives the gate back, once whoever calls.
	 * @param closed whether its holder closed it (a valid lease then keeps its minimum hold)
	 */
	private void end(Grant grant, boolean closed) {
		grant.end(() -> {
			this.watchdog.unregister(grant);
			try {
				if (closed && grant.isLeaseValid()) {
					this.policy.releaseClosed(grant);
				}
				else {
					this.policy.leaseEnded(grant);
				}
			}
			finally {
				// Forgotten only now: the holder's own thread, asking again meanwhile, finds the grant
				// and waits for this end instead of meeting a gate that is not given back yet.
				this.held.remove(grant.lockId(), grant);
				grant.gate().leave();
				this.observer.released(this.provider.id(), grant.origin(),
						Duration.ofNanos(System.nanoTime() - grant.acquiredNanos()));
				logger.debug("Lock '{}' (fencing token {}) ended: {}", grant.lockId(), grant.fencingToken(),
						closed ? "released by its holder" : grant.invalidReason());
			}
		});
	}

	/**
	 * Called by the watchdog when a renewal's round trip overlapped the grant's end: the renewal may
	 * have stretched a backend lease that the end had shortened or released.
	 */
	void renewedAfterEnd(Grant grant) {
		this.policy.renewedAfterEnd(grant);
	}

	/**
	 * Renews the grant's lease now for {@code leaseTime} ({@link LockHandle#extend}).
	 * @return {@code false} if it is lost or ended
	 */
	boolean extend(Grant grant, Duration leaseTime) {
		if (leaseTime.isNegative() || leaseTime.isZero()) {
			throw new IllegalArgumentException("leaseTime " + leaseTime + " of an extension of lock '"
					+ grant.lockId() + "' is not positive");
		}
		long restOfHold = grant.minHoldTime().toNanos() - (System.nanoTime() - grant.acquiredNanos());
		if (leaseTime.toNanos() < restOfHold) {
			throw new IllegalArgumentException("leaseTime " + leaseTime + " of an extension of lock '"
					+ grant.lockId() + "' is shorter than the rest of its minHoldTime " + grant.minHoldTime()
					+ "; the lease would end before it");
		}
		if (!grant.isValid()) {
			return false;
		}
		long startNanos = System.nanoTime();
		Instant startAt = this.settings.clock().instant();
		if (!this.policy.renew(grant.withLeaseTime(leaseTime), leaseTime)) {
			leaseLost(grant, "the backend refused the extension: the lease is no longer held by this owner");
			return false;
		}
		grant.confirmed(startNanos, startAt, leaseTime);
		if (grant.isEnded()) {
			// Closed or ended while the extension was in flight.
			this.policy.renewedAfterEnd(grant);
			return false;
		}
		this.watchdog.rescheduled(grant);
		return true;
	}

	/**
	 * Called when a held lease is found lost (by the watchdog, the handle, or a force release). The
	 * grant ends on the watchdog thread: whoever noticed (possibly a caller of {@code isValid()})
	 * does not wait for the backend.
	 */
	void leaseLost(Grant grant, String reason) {
		if (grant.isClosed() || !grant.invalidate(reason)) {
			return;
		}
		this.watchdog.unregister(grant);
		this.watchdog.schedule(() -> end(grant, false), 0);
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
	 * Releases the lock in the backend whoever holds it, for operators, and writes the one audit
	 * line (WARN) about it; if this engine holds the lock, its grant is marked lost at once rather
	 * than at its next renewal.
	 * @param requestedBy who asked, for the audit line
	 * @return whether a lock was held and is now released, and whom the backend named as its holder
	 * @throws UnsupportedOperationException if the provider lacks
	 * {@link ProviderCapability#FORCE_RELEASE}
	 * @throws LockBackendException if the backend failed
	 */
	public ForcedRelease forceRelease(String lockId, String requestedBy) {
		Set<ProviderCapability> capabilities = this.provider.capabilities();
		if (!capabilities.contains(ProviderCapability.FORCE_RELEASE)) {
			throw ProviderCapability.FORCE_RELEASE.missingIn(this.provider.id());
		}
		BackendLock holder = capabilities.contains(ProviderCapability.LISTING) ? inspectQuietly(lockId) : null;
		boolean released;
		try {
			released = this.provider.forceRelease(lockId);
		}
		catch (RuntimeException ex) {
			logger.warn("Force-release of lock '{}' on {} requested by {} failed: {}", lockId, this.provider.id(),
					requestedBy, ex.toString());
			throw ex;
		}
		if (!released) {
			logger.warn("Force-release of lock '{}' on {} requested by {}: nobody held it", lockId,
					this.provider.id(), requestedBy);
			return new ForcedRelease(false, null);
		}
		logger.warn("Force-released lock '{}' on {} as requested by {}; evicted holder: {}", lockId,
				this.provider.id(), requestedBy,
				(holder != null) ? holder.instance() + " (fencing token " + holder.fencingToken() + ")" : "unknown");
		Grant local = this.held.get(lockId);
		if (local != null) {
			leaseLost(local, "force-released by an operator");
		}
		return new ForcedRelease(true, holder);
	}

	/** The holder before a force-release, for the audit line: not worth failing the release for. */
	private @Nullable BackendLock inspectQuietly(String lockId) {
		try {
			return this.provider.inspect(lockId).orElse(null);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not inspect lock '{}' before force-releasing it", lockId, ex);
			return null;
		}
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
