package dev.distlock.engine;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.LockNotAcquiredException;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;
import dev.distlock.spi.ReleaseSubscription;

/**
 * The waiting loop against the backend: attempts until a grant or the deadline, sleeping between
 * attempts until the provider's release notification wakes it, or with jittered back-off where the
 * provider cannot notify (then only slowly polling for expired leases and lost notifications).
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

	BackendWaiter(LockProvider provider, EngineSettings settings) {
		this.provider = provider;
		this.settings = settings;
		this.releaseNotifications = provider.capabilities().contains(ProviderCapability.RELEASE_NOTIFICATIONS);
	}

	/**
	 * Attempts until the lease is granted or the deadline passes.
	 * @param deadline in {@link System#nanoTime()} terms
	 * @return the winning attempt, or empty if the lock stayed busy
	 */
	Optional<Attempt> acquire(LeaseRequest request, long deadline) {
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

	/** A won attempt: the lease and the start of the round trip that won it. */
	record Attempt(Lease lease, long startNanos, Instant startAt) {
	}

}
