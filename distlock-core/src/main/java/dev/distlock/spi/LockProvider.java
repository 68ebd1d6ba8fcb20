package dev.distlock.spi;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.distlock.LockBackendException;

/**
 * A lock backend. A provider does single round-trip operations; the engine does waiting,
 * reentrancy, the in-JVM gate and the watchdog. Every method that talks to the backend throws
 * {@link LockBackendException} when the backend fails or cannot be reached.
 *
 * <p>Contract (proved by the {@code distlock-test} TCK): at most one owner holds a lock id at a
 * time; a lease ends {@code leaseTime} after its last grant or extension by the backend's clock or
 * session; extend and release succeed only for the owner; fencing tokens strictly increase per lock.
 * What else a provider can do it states in {@link #capabilities()}.
 */
public interface LockProvider extends AutoCloseable {

	/** The provider id shown to operators: {@code redis}, {@code postgres}, {@code jdbc-table}, ... */
	String id();

	/**
	 * One non-blocking acquisition attempt.
	 * @return the lease with its fencing token, or empty if another owner holds the lock
	 */
	Optional<Lease> tryAcquire(LeaseRequest request);

	/**
	 * An acquisition attempt that may wait in the backend, up to {@code maxWait}, until the lock is
	 * released and granted to this caller ({@link ProviderCapability#SERVER_SIDE_WAIT}). It may also
	 * return empty before {@code maxWait} has passed, when it cannot wait in the backend right now (then
	 * it made one non-blocking attempt): the engine then waits as without the capability and calls again.
	 * An interrupted caller gets empty (with its interrupt flag set) and leaves nothing held or queued in
	 * the backend. By default: one {@link #tryAcquire}.
	 * @param maxWait at most how long to wait; zero means one non-blocking attempt
	 * @return the grant with the moment it is counted from, or empty if the lock stayed busy
	 */
	default Optional<AwaitedLease> awaitAcquire(LeaseRequest request, Duration maxWait) {
		long startNanos = System.nanoTime();
		return tryAcquire(request).map((lease) -> new AwaitedLease(lease, startNanos));
	}

	/**
	 * Extends a held lease so it ends {@code leaseTime} from now (which may also shorten it). With
	 * {@link ProviderCapability#SESSION_SCOPED_LEASES} the backend keeps the lease as long as its
	 * session whatever {@code leaseTime} says: extend then only confirms, in a round trip, that the
	 * session still holds it, and the engine keeps the lease time.
	 * @return {@code false} if the lease is no longer held by its owner (lost)
	 */
	boolean extend(Lease lease, Duration leaseTime);

	/**
	 * Extends many leases, each by its own {@link Lease#leaseTime()}. Providers that can do this in
	 * one round trip declare {@link ProviderCapability#BATCH_EXTEND}.
	 * @return the leases still held; the others are lost
	 */
	default Set<Lease> extendAll(Collection<Lease> leases) {
		Set<Lease> held = new LinkedHashSet<>();
		for (Lease lease : leases) {
			if (extend(lease, lease.leaseTime())) {
				held.add(lease);
			}
		}
		return held;
	}

	/** Releases a lease if its owner still holds it; releasing a lost lease changes nothing. */
	void release(Lease lease);

	/**
	 * What this provider can do beyond acquire, extend, release and health checks. The engine, the
	 * operator endpoint and the TCK read it once; an operation whose capability is missing throws
	 * {@link UnsupportedOperationException}.
	 * @return the capabilities; by default none
	 */
	default Set<ProviderCapability> capabilities() {
		return Set.of();
	}

	/**
	 * Calls the listener (on any thread) when the lock may have become free. Delivery is best
	 * effort: the engine still polls, slowly, in case a notification is lost. Without
	 * {@link ProviderCapability#RELEASE_NOTIFICATIONS} nothing is ever delivered.
	 */
	default ReleaseSubscription onRelease(String lockId, Runnable listener) {
		return ReleaseSubscription.NONE;
	}

	/**
	 * The locks held in the backend by all instances ({@link ProviderCapability#LISTING}).
	 * @throws UnsupportedOperationException if the provider cannot list its backend
	 */
	default List<BackendLock> listLocks() {
		throw ProviderCapability.LISTING.missingIn(id());
	}

	/**
	 * Who holds the given lock in the backend right now ({@link ProviderCapability#LISTING}).
	 * @return empty if the lock is free
	 * @throws UnsupportedOperationException if the provider cannot inspect its backend
	 */
	default Optional<BackendLock> inspect(String lockId) {
		return listLocks().stream().filter((lock) -> lock.lockId().equals(lockId)).findFirst();
	}

	/**
	 * Releases the lock whoever holds it, for operators ({@link ProviderCapability#FORCE_RELEASE}).
	 * The next grant gets a higher fencing token. Providers log nothing: the engine writes the audit line.
	 * @return {@code true} if a lock was held and is now released
	 * @throws UnsupportedOperationException if the provider cannot release another owner's lock
	 */
	default boolean forceRelease(String lockId) {
		throw ProviderCapability.FORCE_RELEASE.missingIn(id());
	}

	/**
	 * A cheap round trip proving the backend answers.
	 * @throws LockBackendException if it does not
	 */
	void checkHealth();

	/** Frees the provider's resources (connections, subscriptions). */
	@Override
	default void close() {
	}

}
