package dev.distlock.engine;

import java.time.Instant;

/**
 * A lock this instance holds right now, as operators see it.
 *
 * @param lock the lock id
 * @param fencingToken the grant's fencing token
 * @param acquiredAt when it was granted
 * @param expiresAt when the lease runs out unless renewed
 * @param renewals how many times the watchdog renewed it
 * @param source the annotated method or {@code LockTemplate}
 * @param thread the name of the acquiring thread
 * @param permits how many holders the lock id may have at once (1 for a plain lock)
 */
public record HeldLock(String lock, long fencingToken, Instant acquiredAt, Instant expiresAt, long renewals,
		String source, String thread, int permits) {

}
