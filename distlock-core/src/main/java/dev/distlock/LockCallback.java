package dev.distlock;

/**
 * Code run by {@link LockTemplate#execute(LockRequest, LockCallback)} while the lock is held.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface LockCallback<T> {

	/**
	 * @param handle the held lock; read its {@link LockHandle#fencingToken()} to fence writes
	 * @return the result handed back by {@code execute}
	 */
	T doWithLock(LockHandle handle);

}
