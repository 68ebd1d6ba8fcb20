package dev.distlock.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.LockHandle;
import dev.distlock.spi.LockProvider;

/**
 * The life of a grant after it was won, for one engine: made known (reentrancy, {@code LockContext},
 * watchdog), renewed on demand ({@link LockHandle#extend}), found lost, and ended exactly once
 * (closed by its holder, lost, or past its local expiry without auto-renewal). The end lets the
 * backend lease end as the {@link LeasePolicy} says, opens the in-JVM gate and forgets the grant.
 */
final class GrantLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(GrantLifecycle.class);

	private final LockProvider provider;

	private final LeaseWatchdog watchdog;

	private final EngineSettings settings;

	private final LockEngineObserver observer;

	private final LeasePolicy policy;

	/** By backend lock id: a lock with permits has one grant per slot held here. */
	private final Map<String, Grant> held = new ConcurrentHashMap<>();

	private final AtomicLong leasesLost = new AtomicLong();

	GrantLifecycle(LockProvider provider, LeaseWatchdog watchdog, EngineSettings settings,
			LockEngineObserver observer) {
		this.provider = provider;
		this.watchdog = watchdog;
		this.settings = settings;
		this.observer = observer;
		this.policy = LeasePolicy.of(provider, watchdog);
	}

	/**
	 * The grant held for this backend lock id (a lock id, or a permit slot's), ended or not yet
	 * forgotten.
	 */
	@Nullable Grant held(String backendLockId) {
		return this.held.get(backendLockId);
	}

	/** Every grant not yet forgotten. */
	Collection<Grant> grants() {
		return this.held.values();
	}

	/**
	 * Makes a won grant known (reentrancy, LockContext, watchdog). If that fails, the grant is undone
	 * entirely, the backend lease included, so nothing holds a lock whose handle never reached anyone.
	 */
	void register(Grant grant) {
		try {
			this.held.put(grant.lease().lockId(), grant);
			ThreadLockStack.push(grant);
			supervise(grant);
		}
		catch (RuntimeException | Error ex) {
			// Ended here without giving the gate back: the caller leaves it, once.
			grant.end(() -> {
				this.watchdog.unregister(grant);
				this.held.remove(grant.lease().lockId(), grant);
				ThreadLockStack.remove(grant);
				this.policy.releaseQuietly(grant.lease());
			});
			throw ex;
		}
	}

	private void supervise(Grant grant) {
		if (grant.autoRenew()) {
			this.watchdog.register(grant);
		}
		else {
			grant.endTimer(this.watchdog.schedule(() -> endWhenDue(grant), grant.leaseTime().toNanos()));
		}
	}

	/** The end of a lease without auto-renewal: at its local expiry, which an extend may have moved. */
	private void endWhenDue(Grant grant) {
		if (grant.isEnded()) {
			return;
		}
		long remaining = grant.remainingNanos(System.nanoTime());
		if (remaining > 0) {
			grant.endTimer(this.watchdog.schedule(() -> endWhenDue(grant), remaining));
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
	void end(Grant grant, boolean closed) {
		grant.end(() -> {
			this.watchdog.unregister(grant);
			grant.cancelEndTimer();
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
				this.held.remove(grant.lease().lockId(), grant);
				grant.leaveGates();
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
			leaseRefused(grant, "the backend refused the extension: the lease is no longer held by this owner");
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
	 * Called when a held lease ran out without a confirmed renewal (found by the watchdog or the
	 * handle): the backend may still hold it for this owner — a session-scoped lock whose session
	 * survived, a holder or a backend that was frozen. The handle turns invalid and the loss is
	 * reported, but the grant ends when its holder closes it, or one lease time later if it never
	 * does: its code may still be running (a holder frozen past its lease resumes inside its
	 * critical section), so meanwhile the in-JVM gate stays shut and the backend keeps what it still
	 * holds, and nobody is let in beside it; a handle that is never closed still frees the lock.
	 */
	void leaseLost(Grant grant, String reason) {
		leaseLost(grant, reason, false);
	}

	/**
	 * Called when the backend said it no longer holds the lease for this owner (a refused renewal or
	 * extension), or an operator force-released it: the lock is free in the backend already, so the
	 * grant ends now (on the watchdog thread, so the caller does not wait for the backend) and this
	 * instance's other threads may compete for it like every other instance, even if the lost
	 * handle is never closed.
	 */
	void leaseRefused(Grant grant, String reason) {
		leaseLost(grant, reason, true);
	}

	private void leaseLost(Grant grant, String reason, boolean endNow) {
		if (grant.isClosed() || !grant.invalidate(reason)) {
			return;
		}
		this.watchdog.unregister(grant);
		this.watchdog.schedule(() -> end(grant, false), endNow ? 0 : grant.leaseTime().toNanos());
		this.leasesLost.incrementAndGet();
		logger.warn("Lease on lock '{}' (fencing token {}) is lost: {}", grant.lockId(), grant.fencingToken(), reason);
		this.observer.leaseLost(this.provider.id(), grant.origin(), grant.lockId(), grant.fencingToken(), reason);
		Thread thread = grant.owningThread();
		if (this.settings.interruptOnLeaseLost() && thread != null) {
			thread.interrupt();
		}
	}

	long leasesLost() {
		return this.leasesLost.get();
	}

	LockProvider provider() {
		return this.provider;
	}

	LockEngineObserver observer() {
		return this.observer;
	}

	LeasePolicy policy() {
		return this.policy;
	}

}
