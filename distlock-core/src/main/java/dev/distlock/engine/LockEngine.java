package dev.distlock.engine;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import dev.distlock.LockBackendException;
import org.jspecify.annotations.Nullable;

import dev.distlock.LockCallback;
import dev.distlock.LockGroup;
import dev.distlock.LockHandle;
import dev.distlock.LockNotAcquiredException;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;

/**
 * Runs lock requests against one {@link LockProvider}: the in-JVM gate, per-thread reentrancy,
 * waiting with provider wake-ups or jittered back-off, minimum hold times and lease supervision by
 * the shared {@link LeaseWatchdog}. What a lease's end means in the backend is the
 * {@link LeasePolicy}'s, chosen once from the provider's capabilities.
 *
 * <p>This class is the entry point and decides between re-entry and a new grant; the work is done
 * by its collaborators: {@link GrantIssuer} (gate, backend wait via {@link BackendWaiter}),
 * {@link GrantLifecycle} (supervision, extension, loss and the single end of a grant),
 * {@link OrderedAcquisition} (several locks in one global order) and {@link ForceReleaser} (operators).
 * A lock with permits is a set of {@link PermitSlots}.
 *
 * <p>A grant ends exactly once (see {@link Grant}): when its holder closes it; when the backend says
 * it no longer holds it or an operator force-releases it; or when its local expiry passes without
 * auto-renewal. A renewed lease that ran out unconfirmed (the backend may still hold it) ends when
 * its holder closes it, or one lease time later: the holder's code may still be running. Then the in-JVM gate opens for
 * this instance's other threads and the holder's own thread gets a new grant if it asks again. A
 * lost lease leaves {@link #heldLocks()} at once.
 */
public final class LockEngine implements LockTemplate {

	private final EngineSettings settings;

	private final LockEngineObserver observer;

	private final GrantLifecycle lifecycle;

	private final GrantIssuer issuer;

	private final ForceReleaser forceReleaser;

	public LockEngine(LockProvider provider, LeaseWatchdog watchdog, EngineSettings settings,
			LockEngineObserver observer) {
		this.settings = settings;
		this.observer = GuardedObserver.of(observer);
		this.lifecycle = new GrantLifecycle(provider, watchdog, settings, this.observer);
		this.issuer = new GrantIssuer(this.lifecycle, settings);
		this.forceReleaser = new ForceReleaser(this.lifecycle);
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
				"Lock '" + request.lockId() + "' is held elsewhere; not acquired within "
						+ this.settings.waitTime(request)));
	}

	/**
	 * Acquires the lock for the given origin, waiting up to the request's wait time.
	 * @return empty if the lock stayed busy
	 * @throws LockBackendException if the backend failed
	 */
	public Optional<LockHandle> tryAcquire(LockRequest request, LockOrigin origin) {
		Grant current = ThreadLockStack.grantFor(this.lifecycle, request.lockId());
		if (current != null && current.isOwnedBy(Thread.currentThread()) && !current.isClosed()) {
			if (current.isLeaseValid()) {
				return Optional.of(reenter(current));
			}
			// The thread's own lease ended and it never closed the handle: it holds nothing any more,
			// so this is a new acquisition. End the old grant first, so its gate is free to pass.
			this.lifecycle.end(current, false);
		}
		LockEngineObserver.AcquireObservation observation = this.observer.acquireStarted(provider().id(), origin);
		try {
			Optional<LockHandle> handle = this.issuer.issue(request, origin);
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

	@Override
	public LockGroup acquireAll(Collection<LockRequest> requests) {
		return acquireAll(requests, null);
	}

	@Override
	public Optional<LockGroup> tryAcquireAll(Collection<LockRequest> requests) {
		return tryAcquireAll(requests, null);
	}

	/**
	 * Acquires the locks in ascending lock-id order within one wait budget, all or nothing
	 * ({@link LockTemplate#acquireAll}).
	 * @param origin the origin of every lock, or {@code null} for {@link LockTemplate} requests
	 * @throws LockNotAcquiredException if one stayed busy
	 */
	public LockGroup acquireAll(Collection<LockRequest> requests, @Nullable LockOrigin origin) {
		return tryAcquireAll(requests, origin).orElseThrow(() -> new LockNotAcquiredException(
				requests.stream().map(LockRequest::lockId).sorted().distinct().toList().toString(),
				"Locks " + requests.stream().map(LockRequest::lockId).sorted().distinct().toList()
						+ " were not all acquired within the wait time; none is held"));
	}

	/**
	 * Acquires the locks in ascending lock-id order within one wait budget, all or nothing.
	 * @param origin the origin of every lock, or {@code null} for {@link LockTemplate} requests
	 * @return empty if one stayed busy (nothing is then held)
	 */
	public Optional<LockGroup> tryAcquireAll(Collection<LockRequest> requests, @Nullable LockOrigin origin) {
		return OrderedAcquisition.acquire(requests, this.settings, (request) -> tryAcquire(request,
				(origin != null) ? origin : LockOrigin.template(request.lockId())));
	}

	/** Detaches every handle of the group from the current thread (see {@link #detachFromCurrentThread(LockHandle)}). */
	public void detachFromCurrentThread(LockGroup group) {
		group.handles().forEach(this::detachFromCurrentThread);
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
		return this.lifecycle.grants().stream().filter(Grant::isValid).map(Grant::describe).toList();
	}

	/**
	 * The held lock with this id, if this engine holds it with a valid lease (with permits, one of
	 * this instance's grants of it).
	 */
	public Optional<HeldLock> heldLock(String lockId) {
		return this.lifecycle.grants()
			.stream()
			.filter((grant) -> grant.lockId().equals(lockId) && grant.isValid())
			.findFirst()
			.map(Grant::describe);
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
		return this.forceReleaser.forceRelease(lockId, requestedBy);
	}

	/** How many leases this engine found lost since it started. */
	public long leasesLost() {
		return this.lifecycle.leasesLost();
	}

	/**
	 * How many entries of per-lock-id state (grants not yet forgotten, in-JVM gates, permit-slot
	 * claims) this engine keeps right now; with nothing held, 0, however many ids were ever used.
	 */
	int perLockIdStateSize() {
		return this.lifecycle.grants().size() + this.issuer.gatesInUse();
	}

	public LockProvider provider() {
		return this.lifecycle.provider();
	}

	public EngineSettings settings() {
		return this.settings;
	}

}
