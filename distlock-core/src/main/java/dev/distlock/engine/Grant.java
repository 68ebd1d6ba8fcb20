package dev.distlock.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import dev.distlock.LeaseLostException;
import dev.distlock.LockRequest;
import dev.distlock.spi.Lease;

/**
 * One grant of a lock to this instance: the handle returned by a (non-reentrant) acquisition.
 *
 * <p>Validity is judged on the monotonic clock: the lease counts as alive for {@code leaseTime}
 * after the <em>start</em> of the last confirmed grant or renewal round trip, which is conservative
 * for every backend. Once invalid, a grant stays invalid.
 *
 * <p>A grant <em>ends</em> once, whichever comes first: its holder closes it, its lease is found lost,
 * or its local expiry passes without auto-renewal. The end gives the in-JVM gate back and forgets the
 * grant; a later {@link #close()} of an ended grant releases nothing.
 */
final class Grant implements EngineLockHandle {

	private final GrantLifecycle lifecycle;

	private final String lockId;

	private final int permits;

	/** The backend lease: of the lock id itself, or of one of its permit slots. */
	private volatile Lease lease;

	private final long fencingToken;

	private final LockOrigin origin;

	private final Duration minHoldTime;

	private final boolean autoRenew;

	private final long acquiredNanos;

	private final Instant acquiredAt;

	private final String threadName;

	private final LocalGates.Gate gate;

	/** This instance's claim on the permit slot the lease is for, or null for a plain lock. */
	private final LocalGates.@Nullable Gate slotClaim;

	private final AtomicBoolean closed = new AtomicBoolean();

	private final AtomicLong renewals = new AtomicLong();

	private volatile @Nullable Thread owningThread;

	private volatile Confirmation confirmation;

	/** A j.u.c. lock, not a monitor: the ending releases in the backend, and a virtual thread may wait here. */
	private final ReentrantLock endLock = new ReentrantLock();

	private boolean ended; // guarded by endLock

	private volatile @Nullable String invalidReason;

	/**
	 * The watchdog task that ends a lease without auto-renewal at its local expiry; cancelled when the
	 * grant ends first, so a closed grant is not kept in the watchdog's queue until its lease time.
	 */
	private volatile @Nullable Future<?> endTimer;

	/** When the watchdog should next renew (monotonic nanos). */
	volatile long nextRenewalNanos;

	Grant(GrantLifecycle lifecycle, LockRequest request, LockOrigin origin, BackendWaiter.Attempt won,
			long fencingToken, LocalGates.Gate gate) {
		this.lifecycle = lifecycle;
		this.lockId = request.lockId();
		this.permits = request.permits();
		this.lease = won.lease();
		this.fencingToken = fencingToken;
		this.origin = origin;
		this.minHoldTime = request.minHoldTime();
		this.autoRenew = request.autoRenew();
		this.acquiredNanos = won.startNanos();
		this.acquiredAt = won.startAt();
		this.confirmation = new Confirmation(won.startNanos(), won.startAt(), won.lease().leaseTime());
		this.gate = gate;
		this.slotClaim = won.slotClaim();
		this.owningThread = Thread.currentThread();
		this.threadName = Thread.currentThread().getName();
	}

	@Override
	public String lockId() {
		return this.lockId;
	}

	@Override
	public long fencingToken() {
		return this.fencingToken;
	}

	@Override
	public Instant acquiredAt() {
		return this.acquiredAt;
	}

	@Override
	public Instant expiresAt() {
		Confirmation confirmation = this.confirmation;
		return confirmation.at().plus(confirmation.leaseTime());
	}

	/** False once released, once the lease is known lost, or once its local expiry passed. */
	@Override
	public boolean isValid() {
		return !isClosed() && isLeaseValid();
	}

	/** Whether the lease itself is alive, released or not (reports an expired renewed lease lost). */
	boolean isLeaseValid() {
		if (this.invalidReason != null) {
			return false;
		}
		if (isLocallyExpired(System.nanoTime())) {
			String reason = "lease time " + this.confirmation.leaseTime() + " passed without a confirmed renewal";
			if (this.autoRenew) {
				// A renewed lease that ran out is lost, whoever notices first: report it (event, metric,
				// interrupt), or the watchdog, finding it already invalid, would report nothing.
				this.lifecycle.leaseLost(this, reason);
			}
			invalidate(reason);
			return false;
		}
		return true;
	}

	@Override
	public void checkValid() {
		if (isClosed()) {
			throw new LeaseLostException("Lock '" + lockId() + "' (fencing token " + fencingToken()
					+ ") was released by its holder");
		}
		if (!isLeaseValid()) {
			throw new LeaseLostException("Lease on lock '" + lockId() + "' (fencing token " + fencingToken()
					+ ") is lost: " + this.invalidReason);
		}
	}

	@Override
	public boolean extend(Duration leaseTime) {
		return this.lifecycle.extend(this, leaseTime);
	}

	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.lifecycle.release(this);
		}
	}

	/**
	 * Runs the end of this grant unless it already ended. Concurrent callers wait until the one that
	 * runs it is done, so whoever returns knows the gate is given back.
	 * @return whether this call ended the grant
	 */
	boolean end(Runnable ending) {
		this.endLock.lock();
		try {
			if (this.ended) {
				return false;
			}
			this.ended = true;
			ending.run();
			return true;
		}
		finally {
			this.endLock.unlock();
		}
	}

	boolean isEnded() {
		this.endLock.lock();
		try {
			return this.ended;
		}
		finally {
			this.endLock.unlock();
		}
	}

	@Override
	public boolean isClosed() {
		return this.closed.get();
	}

	/** Marks the grant invalid; returns true for the call that did it. */
	synchronized boolean invalidate(String reason) {
		if (this.invalidReason != null) {
			return false;
		}
		this.invalidReason = reason;
		return true;
	}

	/**
	 * A renewal that started at the given time confirmed the lease for {@code leaseTime}. Of two
	 * overlapping renewals (the watchdog's and {@link #extend}), the one that started later counts.
	 */
	synchronized void confirmed(long roundTripStartNanos, Instant roundTripStartAt, Duration leaseTime) {
		if (roundTripStartNanos - this.confirmation.nanos() > 0) {
			this.confirmation = new Confirmation(roundTripStartNanos, roundTripStartAt, leaseTime);
		}
		this.renewals.incrementAndGet();
	}

	/** When the round trip that last confirmed the lease started (System.nanoTime). */
	long confirmedAtNanos() {
		return this.confirmation.nanos();
	}

	boolean isLocallyExpired(long nowNanos) {
		return remainingNanos(nowNanos) <= 0;
	}

	/** How long the lease lives locally from {@code nowNanos} on. */
	long remainingNanos(long nowNanos) {
		Confirmation confirmation = this.confirmation;
		return confirmation.leaseTime().toNanos() - (nowNanos - confirmation.nanos());
	}

	/** Renewals from now on ask for this lease time. */
	Lease withLeaseTime(Duration leaseTime) {
		Lease changed = new Lease(this.lease.lockId(), this.lease.owner(), this.lease.fencingToken(), leaseTime);
		this.lease = changed;
		return changed;
	}

	/** The lease time of the last confirmation. */
	Duration leaseTime() {
		return this.confirmation.leaseTime();
	}

	boolean isOwnedBy(Thread thread) {
		return this.owningThread == thread;
	}

	/** Ends the thread affinity: the work continues elsewhere (async result), so no re-entry. */
	void detachFromThread() {
		this.owningThread = null;
	}

	@Nullable Thread owningThread() {
		return this.owningThread;
	}

	@Nullable String invalidReason() {
		return this.invalidReason;
	}

	Lease lease() {
		return this.lease;
	}

	LockOrigin origin() {
		return this.origin;
	}

	GrantLifecycle lifecycle() {
		return this.lifecycle;
	}

	boolean autoRenew() {
		return this.autoRenew;
	}

	Duration minHoldTime() {
		return this.minHoldTime;
	}

	long acquiredNanos() {
		return this.acquiredNanos;
	}

	/** Sets the task that ends this grant at its local expiry (see {@link #cancelEndTimer()}). */
	void endTimer(@Nullable Future<?> timer) {
		this.endTimer = timer;
		if (timer != null && isEnded()) {
			// Ended while the timer was being set: nothing cancelled it.
			timer.cancel(false);
		}
	}

	/** Cancels the task that would end this grant at its local expiry: the grant has ended already. */
	void cancelEndTimer() {
		Future<?> timer = this.endTimer;
		if (timer != null) {
			timer.cancel(false);
		}
	}

	/** Gives the in-JVM gate (and the slot claim) back; called once, by the grant's end. */
	void leaveGates() {
		try {
			if (this.slotClaim != null) {
				this.slotClaim.leave();
			}
		}
		finally {
			this.gate.leave();
		}
	}

	int permits() {
		return this.permits;
	}

	long renewalIntervalNanos() {
		return Math.max(1, this.lease.leaseTime().toNanos() / 3);
	}

	HeldLock describe() {
		return new HeldLock(lockId(), fencingToken(), this.acquiredAt, expiresAt(), this.renewals.get(),
				this.origin.source(), this.threadName, this.permits);
	}

	/** The last confirmed grant or renewal: its round trip's start and the lease time it confirmed. */
	private record Confirmation(long nanos, Instant at, Duration leaseTime) {
	}

	@Override
	public String toString() {
		return "LockHandle[" + lockId() + ", fencingToken=" + fencingToken() + "]";
	}

}
