package dev.distlock.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.LockNotAcquiredException;
import dev.distlock.spi.AwaitedLease;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;
import dev.distlock.spi.ReleaseSubscription;

/**
 * The waiting loop against the backend: attempts (one per permit slot, see {@link PermitSlots})
 * until a grant or the deadline, sleeping between
 * attempts until the provider's release notification wakes it, or with jittered back-off where the
 * provider cannot notify (then only slowly polling for expired leases and lost notifications).
 *
 * <p>Where the provider can wait in its backend ({@link ProviderCapability#SERVER_SIDE_WAIT}), a plain
 * lock (one slot) with a wait time is waited for there, from the first attempt
 * ({@link LockProvider#awaitAcquire}): the backend queues the waiters of all instances and hands the
 * lock to the next one on release, so a handoff needs no wake-up and retry race, which the releasing
 * instance, retrying first, would often win. The loop stays as the fallback for when the provider cannot
 * wait in the backend right now; permit slots keep the loop (a backend queue would pin one slot).
 */
final class BackendWaiter {

	private static final Logger logger = LoggerFactory.getLogger(BackendWaiter.class);

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

	private final EngineSettings settings;

	private final boolean releaseNotifications;

	private final boolean serverSideWait;

	BackendWaiter(LockProvider provider, EngineSettings settings) {
		this.provider = provider;
		this.settings = settings;
		this.releaseNotifications = provider.capabilities().contains(ProviderCapability.RELEASE_NOTIFICATIONS);
		this.serverSideWait = provider.capabilities().contains(ProviderCapability.SERVER_SIDE_WAIT);
	}

	/**
	 * Attempts until one slot's lease is granted or the deadline passes. Each attempt goes round the
	 * slots once, from a random start, skipping slots another thread of this instance holds.
	 * @param slots the slot locks of the lock id (a plain lock is one slot)
	 * @param slotClaims this instance's claims on permit slots
	 * @param deadline in {@link System#nanoTime()} terms
	 * @return the winning attempt, or empty if the lock stayed busy
	 */
	Optional<Attempt> acquire(PermitSlots slots, String owner, Duration leaseTime, LocalGates slotClaims,
			long deadline) {
		int start = slots.startSlot();
		boolean waitInBackend = this.serverSideWait && !slots.isShared();
		// Waiting in the backend from the first attempt: on a free lock that is one round trip, like a
		// non-blocking attempt; on a busy one it spares the attempt that would fail.
		Optional<Attempt> won = (waitInBackend && deadline - System.nanoTime() > 0)
				? awaitInBackend(slots.slotId(0), owner, leaseTime, deadline)
				: attempt(slots, start, owner, leaseTime, slotClaims);
		if (won.isEmpty() && Thread.currentThread().isInterrupted()) {
			Thread.currentThread().interrupt();
			throw new LockNotAcquiredException(slots.slotId(0),
					"Interrupted while waiting for lock '" + slots.slotId(0) + "'");
		}
		if (won.isPresent() || deadline - System.nanoTime() <= 0) {
			return won;
		}
		boolean notified = this.releaseNotifications;
		Semaphore wake = new Semaphore(0);
		Backoff backoff = new Backoff(POLL_INITIAL_NANOS, notified ? NOTIFIED_POLL_MAX_NANOS : POLL_MAX_NANOS);
		List<ReleaseSubscription> subscriptions = new ArrayList<>();
		try {
			for (int slot = 0; notified && slot < slots.permits(); slot++) {
				subscriptions.add(this.provider.onRelease(slots.slotId(slot), wake::release));
			}
			while (true) {
				// Try again right after subscribing: the lock may have been released in between.
				won = waitInBackend ? awaitInBackend(slots.slotId(0), owner, leaseTime, deadline)
						: attempt(slots, start, owner, leaseTime, slotClaims);
				if (won.isEmpty() && Thread.currentThread().isInterrupted()) {
					throw new InterruptedException();
				}
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
			throw new LockNotAcquiredException(slots.slotId(0),
					"Interrupted while waiting for lock '" + slots.slotId(0) + "'");
		}
		finally {
			subscriptions.forEach((subscription) -> unsubscribeQuietly(subscription, slots.slotId(0)));
		}
	}

	/**
	 * One attempt on every slot, from {@code start}; a grant counts from the start of the round trip
	 * that won it (conservative). A slot is claimed locally before the backend is asked, so two
	 * threads of this instance never hold one slot: session-scoped backends would grant it twice.
	 */
	private Optional<Attempt> attempt(PermitSlots slots, int start, String owner, Duration leaseTime,
			LocalGates slotClaims) {
		for (int k = 0; k < slots.permits(); k++) {
			int slot = (start + k) % slots.permits();
			LocalGates.Gate claim = null;
			if (slots.isShared()) {
				claim = slotClaims.tryPass(slots.slotId(slot));
				if (claim == null) {
					continue;
				}
			}
			boolean won = false;
			try {
				long startNanos = System.nanoTime();
				Instant startAt = this.settings.clock().instant();
				Optional<Lease> lease = this.provider
					.tryAcquire(new LeaseRequest(slots.slotId(slot), owner, leaseTime));
				if (lease.isPresent()) {
					won = true;
					return Optional.of(new Attempt(lease.get(), slot, claim, startNanos, startAt));
				}
			}
			finally {
				if (!won && claim != null) {
					claim.leave();
				}
			}
		}
		return Optional.empty();
	}

	/**
	 * Waits in the backend for the rest of the wait time. The grant counts from the moment the provider
	 * says the backend held it ({@link AwaitedLease#confirmedNanos()}), not from the start of the wait,
	 * which would shorten the lease by the time waited.
	 */
	private Optional<Attempt> awaitInBackend(String lockId, String owner, Duration leaseTime, long deadline) {
		Duration maxWait = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
		Optional<AwaitedLease> awaited = this.provider.awaitAcquire(new LeaseRequest(lockId, owner, leaseTime), maxWait);
		if (awaited.isEmpty()) {
			return Optional.empty();
		}
		long confirmedNanos = awaited.get().confirmedNanos();
		Instant confirmedAt = this.settings.clock().instant().minusNanos(Math.max(0, System.nanoTime() - confirmedNanos));
		return Optional.of(new Attempt(awaited.get().lease(), 0, null, confirmedNanos, confirmedAt));
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

	/**
	 * A won attempt: the lease of one slot, this instance's claim on it (null for a plain lock), and
	 * the start of the round trip that won it.
	 */
	record Attempt(Lease lease, int slot, LocalGates.@Nullable Gate slotClaim, long startNanos, Instant startAt) {
	}

}
