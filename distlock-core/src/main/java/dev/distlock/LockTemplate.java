package dev.distlock;

import java.util.Collection;
import java.util.Optional;

/**
 * Programmatic access to distributed locks, for code that cannot use {@link DistributedLocked}.
 *
 * <pre class="code">
 * try (LockHandle lock = lockTemplate.acquire(LockRequest.of("order:42").waitTime(Duration.ofSeconds(2)))) {
 *     repository.save(order, lock.fencingToken());
 * }
 * </pre>
 */
public interface LockTemplate {

	/**
	 * Acquires the lock, waiting up to the request's wait time.
	 * @throws LockNotAcquiredException if it stayed busy for the whole wait time
	 * @throws LockBackendException if the backend failed
	 */
	LockHandle acquire(LockRequest request);

	/**
	 * Acquires the lock, waiting up to the request's wait time.
	 * @return the handle, or empty if the lock stayed busy
	 * @throws LockBackendException if the backend failed (never an empty result)
	 */
	Optional<LockHandle> tryAcquire(LockRequest request);

	/**
	 * Acquires the lock, runs the callback and releases the lock.
	 * @throws LockNotAcquiredException if it stayed busy for the whole wait time
	 */
	<T> T execute(LockRequest request, LockCallback<T> callback);

	/**
	 * Runs the task under the lock if it can be acquired within the wait time.
	 * @return {@code false} if the lock was busy and nothing ran
	 */
	boolean tryRun(LockRequest request, Runnable task);

	/**
	 * Acquires several locks in one global order: sorted by lock id ({@link String#compareTo}), each
	 * distinct id once, within one wait budget (the largest wait time among the requests); all or
	 * nothing.
	 * @throws LockNotAcquiredException if one stayed busy (those already taken are released)
	 * @throws LockBackendException if the backend failed (those already taken are released)
	 * @throws IllegalArgumentException if there are no requests
	 */
	LockGroup acquireAll(Collection<LockRequest> requests);

	/**
	 * Like {@link #acquireAll}, but empty when one lock stayed busy (nothing is then held).
	 * @throws LockBackendException if the backend failed (never an empty result)
	 */
	Optional<LockGroup> tryAcquireAll(Collection<LockRequest> requests);

}
