package dev.distlock.spi;

import java.time.Duration;

/**
 * A lease granted by a {@link LockProvider}.
 *
 * @param lockId the lock id as requested
 * @param owner the unique owner token of this grant; extend and release succeed only for it
 * @param fencingToken strictly increasing per lock across grants, releases, expiries and restarts; {@code > 0}
 * @param leaseTime how long the lease lives after each grant or renewal
 */
public record Lease(String lockId, String owner, long fencingToken, Duration leaseTime) {

}
