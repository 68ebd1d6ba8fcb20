package dev.distlock.spi;

/**
 * What a {@link LockProvider} can do beyond the operations every provider has (acquire, extend,
 * release, health check). A provider states its capabilities once, in
 * {@link LockProvider#capabilities()}; callers ask that set, never probe an operation for an empty
 * result or an exception. Calling an operation whose capability is missing is a programming error:
 * it throws {@link UnsupportedOperationException}.
 */
public enum ProviderCapability {

	/**
	 * {@link LockProvider#onRelease} delivers release notifications, so waiters can sleep until woken
	 * instead of polling fast. Without it, {@code onRelease} delivers nothing.
	 */
	RELEASE_NOTIFICATIONS,

	/**
	 * A lease lives as long as a backend session (advisory locks, {@code GET_LOCK}, ZooKeeper), not a
	 * backend-side TTL: {@link LockProvider#extend} confirms that the session still holds the lease and
	 * does not change how long the backend keeps it, so the engine itself ends leases whose time is up
	 * (a fixed lease, a minimum hold). Without it, the backend ends a lease {@code leaseTime} after its
	 * last grant or extension by itself.
	 */
	SESSION_SCOPED_LEASES,

	/**
	 * {@link LockProvider#extendAll} renews many leases in one round trip (per connection or node).
	 * Without it, the default {@code extendAll} extends the leases one by one.
	 */
	BATCH_EXTEND,

	/**
	 * {@link LockProvider#listLocks} and {@link LockProvider#inspect} show the locks held in the backend
	 * by every instance.
	 */
	LISTING,

	/** {@link LockProvider#forceRelease} releases a lock whoever holds it, for operators. */
	FORCE_RELEASE,

	/**
	 * {@link LockProvider#awaitAcquire} waits in the backend itself: the backend queues the caller and
	 * grants it the lock the moment it is released (in arrival order where the backend queues fairly),
	 * instead of the engine retrying {@link LockProvider#tryAcquire} when woken or polled. Without it,
	 * {@code awaitAcquire} is one {@code tryAcquire}.
	 */
	SERVER_SIDE_WAIT;

	/** The error for calling this capability's operation on a provider that does not declare it. */
	public UnsupportedOperationException missingIn(String providerId) {
		return new UnsupportedOperationException("The '" + providerId + "' lock provider does not have the " + name()
				+ " capability");
	}

}
