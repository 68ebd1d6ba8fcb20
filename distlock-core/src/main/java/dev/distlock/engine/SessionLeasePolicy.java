package dev.distlock.engine;

import dev.distlock.spi.LockProvider;

/**
 * Leases that live as long as a backend session (advisory locks, {@code GET_LOCK}, ZooKeeper): the
 * backend never ends them by time, so the engine releases a lease at the end of its minimum hold, at
 * the end of a fixed lease, and as soon as it no longer trusts it.
 */
final class SessionLeasePolicy extends LeasePolicy {

	SessionLeasePolicy(LockProvider provider, LeaseWatchdog watchdog) {
		super(provider, watchdog);
	}

	@Override
	void holdThenRelease(Grant grant, long remainingHoldNanos) {
		this.watchdog.schedule(() -> releaseQuietly(grant.lease()), remainingHoldNanos);
	}

	/** A session renewal only confirmed the session; it stretched nothing. */
	@Override
	void renewedAfterEnd(Grant grant) {
	}

}
