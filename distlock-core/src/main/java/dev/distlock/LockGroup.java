package dev.distlock;

import java.util.List;

/**
 * Several locks held together, taken in one global order (ascending lock id) so that callers locking
 * overlapping sets never deadlock; from {@link LockTemplate#acquireAll} or
 * {@link LockTemplate#tryAcquireAll}.
 *
 * <pre class="code">
 * try (LockGroup locks = lockTemplate.acquireAll(List.of(LockRequest.of("account:9"), LockRequest.of("account:10")))) {
 *     transfer(locks.handle("account:10").fencingToken(), ...);
 * }
 * </pre>
 */
public interface LockGroup extends AutoCloseable {

	/** The handles in acquisition order (ascending lock id). */
	List<LockHandle> handles();

	/**
	 * The handle of the given lock id.
	 * @throws IllegalArgumentException if the lock id is not in this group
	 */
	LockHandle handle(String lockId);

	/** Whether every handle is {@linkplain LockHandle#isValid() valid}. */
	boolean isValid();

	/** Throws {@link LeaseLostException} unless every handle is valid. */
	void checkValid();

	/** Releases every lock, in reverse acquisition order; idempotent. */
	@Override
	void close();

}
