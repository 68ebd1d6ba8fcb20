package dev.distlock;

import java.time.Duration;
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

	/**
	 * Renews the lease now so that it ends {@code leaseTime} from now, also with
	 * {@code autoRenew(false)}: for work that checkpoints on its own schedule. Later renewals (the
	 * watchdog's, with auto-renewal) ask for this lease time too. On a reentrant handle it renews the
	 * outer grant.
	 * @param leaseTime the new lease time, positive and not shorter than the rest of the request's
	 * minimum hold time
	 * @return {@code false} if the lease is already lost or ended (the handle is then invalid)
	 * @throws IllegalArgumentException if {@code leaseTime} is not positive or shorter than the rest of
	 * the minimum hold time
	 * @throws LockBackendException if the backend could not be asked; the lease is then neither
	 * renewed nor known lost
	 */
	boolean extend(Duration leaseTime);

	/** Releases the lock; idempotent. */
	@Override
	void close();

}
