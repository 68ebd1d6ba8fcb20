package dev.distlock;

import java.time.Instant;

/**
 * A held lock. Owned by its lease, not by a thread: it may be closed on any thread. Closing
 * releases the lock (after the request's minimum hold time); closing a lost lease releases nothing
 * and does not throw.
 */
public interface LockHandle extends AutoCloseable {

	/** The lock id, e.g. {@code order:42}. */
	String lockId();

	/**
	 * The grant's fencing token: strictly larger than every token granted earlier for this lock, so
	 * a resource that remembers the highest token it saw can refuse a late write from a holder whose
	 * lease was lost. Always {@code > 0}.
	 */
	long fencingToken();

	/** When this lock was granted (wall clock). */
	Instant acquiredAt();

	/** When the lease runs out unless renewed: {@code leaseTime} after the last confirmed renewal. */
	Instant expiresAt();

	/**
	 * {@code false} once the lease is known lost or its expiry has passed; once false it stays false.
	 */
	boolean isValid();

	/**
	 * Throws {@link LeaseLostException} unless {@link #isValid()}. Call before an irreversible write.
	 */
	void checkValid();

	/** Releases the lock; idempotent. */
	@Override
	void close();

}
