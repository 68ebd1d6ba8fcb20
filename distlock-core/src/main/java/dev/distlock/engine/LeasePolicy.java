package dev.distlock.engine;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.spi.Lease;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;

/**
 * How a lease ends in the backend, for one kind of provider: chosen once per engine from the
 * provider's {@linkplain ProviderCapability capabilities}, so the engine never asks what kind of
 * backend it talks to.
 *
 * <p>What is the same for every provider is decided by the engine: the local expiry is
 * {@code leaseTime} after the start of the last confirmed grant or renewal; a lease ends in the
 * engine (gate opened, no longer held or re-enterable) the moment it is closed, refused by the
 * backend, force-released, or its local expiry passes without auto-renewal; a renewed lease that
 * ran out unconfirmed ends when its holder closes it, or one lease time later. What differs is what the backend still needs then:
 * <ul>
 * <li>{@link TtlLeasePolicy}: the backend ends a lease by its own TTL. A renewal sets the TTL; a
 * minimum hold is kept by shortening the TTL to the rest of the hold, so it ends even if this
 * instance dies.</li>
 * <li>{@link SessionLeasePolicy}: the backend keeps a lease as long as its session. A renewal only
 * confirms the session holds it; the engine must release every lease whose time is up (a fixed
 * lease, the end of a minimum hold, a lease it no longer trusts).</li>
 * </ul>
 */
abstract sealed class LeasePolicy permits TtlLeasePolicy, SessionLeasePolicy {

	private static final Logger logger = LoggerFactory.getLogger(LeasePolicy.class);

	protected final LockProvider provider;

	protected final LeaseWatchdog watchdog;

	LeasePolicy(LockProvider provider, LeaseWatchdog watchdog) {
		this.provider = provider;
		this.watchdog = watchdog;
	}

	/** The policy for the provider's kind of lease. */
	static LeasePolicy of(LockProvider provider, LeaseWatchdog watchdog) {
		return provider.capabilities().contains(ProviderCapability.SESSION_SCOPED_LEASES)
				? new SessionLeasePolicy(provider, watchdog) : new TtlLeasePolicy(provider, watchdog);
	}

	/**
	 * Renews a lease so that it ends {@code leaseTime} after this call's start.
	 * @return {@code false} if the backend no longer holds it for its owner
	 */
	final boolean renew(Lease lease, Duration leaseTime) {
		return this.provider.extend(lease, leaseTime);
	}

	/**
	 * The holder closed a grant whose lease is valid: the backend lease ends now, or after the rest
	 * of the grant's minimum hold.
	 */
	final void releaseClosed(Grant grant) {
		long remainingHold = grant.minHoldTime().toNanos() - (System.nanoTime() - grant.acquiredNanos());
		if (remainingHold <= 0) {
			releaseQuietly(grant.lease());
		}
		else {
			holdThenRelease(grant, remainingHold);
		}
	}

	/** Keeps the backend lease for the rest of the minimum hold, then lets it end. */
	abstract void holdThenRelease(Grant grant, long remainingHoldNanos);

	/**
	 * The lease ended invalid (refused, force-released, run out and then closed, or its fixed lease time up):
	 * what may remain of it in the backend goes, so this instance's next thread finds the lock free.
	 */
	final void leaseEnded(Grant grant) {
		releaseQuietly(grant.lease());
	}

	/**
	 * A renewal whose round trip overlapped the grant's end was confirmed: it may have stretched a
	 * backend lease that the end had shortened or released.
	 */
	abstract void renewedAfterEnd(Grant grant);

	final void releaseQuietly(Lease lease) {
		try {
			this.provider.release(lease);
		}
		catch (RuntimeException ex) {
			logger.warn("Releasing lock '{}' failed; the backend ends it when its lease or session runs out: {}",
					lease.lockId(), ex.toString());
		}
	}

}
