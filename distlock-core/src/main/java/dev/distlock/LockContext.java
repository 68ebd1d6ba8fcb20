package dev.distlock;

import java.util.List;
import java.util.Optional;

import dev.distlock.engine.ThreadLockStack;

/**
 * The locks the current thread holds, so code inside a {@link DistributedLocked} method can read
 * its fencing token without a handle being passed down.
 */
public final class LockContext {

	private LockContext() {
	}

	/** The innermost lock the current thread holds. */
	public static Optional<LockHandle> current() {
		return ThreadLockStack.innermost();
	}

	/** Every lock the current thread holds, outermost first ({@link #current()} is the last). */
	public static List<LockHandle> all() {
		return ThreadLockStack.all();
	}

}
