package dev.distlock.engine;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.spi.LockProvider;

/**
 * Leases that the backend ends by its own TTL (Redis, the lease table, in-memory): a minimum hold
 * shortens the TTL to the rest of the hold, so the backend frees the lock even if this instance
 * dies meanwhile.
 */
final class TtlLeasePolicy extends LeasePolicy {

	private static final Logger logger = LoggerFactory.getLogger(TtlLeasePolicy.class);

	TtlLeasePolicy(LockProvider provider, LeaseWatchdog watchdog) {
		super(provider, watchdog);
	}

	@Override
	void holdThenRelease(Grant grant, long remainingHoldNanos) {
		try {
			this.provider.extend(grant.lease(), Duration.ofNanos(remainingHoldNanos));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not shorten the lease on lock '{}' to its minimum hold time; it ends with its lease",
					grant.lockId(), ex);
		}
	}

	/** The renewal set the TTL back to the full lease time: end the backend lease again as the end did. */
	@Override
	void renewedAfterEnd(Grant grant) {
		if (grant.isClosed() && grant.isLeaseValid()) {
			releaseClosed(grant);
		}
		else {
			leaseEnded(grant);
		}
	}

}
