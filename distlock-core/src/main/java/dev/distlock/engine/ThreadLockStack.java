package dev.distlock.engine;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;

import dev.distlock.LockHandle;

/**
 * The locks acquired on the current thread, innermost first; backs {@link dev.distlock.LockContext}.
 * A handle closed on another thread is dropped lazily, the next time this thread looks.
 */
public final class ThreadLockStack {

	private static final ThreadLocal<Deque<LockHandle>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

	private ThreadLockStack() {
	}

	/** The innermost lock the current thread holds that is not yet closed. */
	public static Optional<LockHandle> innermost() {
		Deque<LockHandle> stack = STACK.get();
		for (Iterator<LockHandle> it = stack.iterator(); it.hasNext();) {
			LockHandle handle = it.next();
			if (!isClosed(handle)) {
				return Optional.of(handle);
			}
			it.remove();
		}
		return Optional.empty();
	}

	static void push(LockHandle handle) {
		Deque<LockHandle> stack = STACK.get();
		// Handles closed on other threads are only dropped when this thread looks: drop them here too,
		// or a thread that acquires locks and hands them elsewhere to close keeps every one of them.
		stack.removeIf(ThreadLockStack::isClosed);
		stack.push(handle);
	}

	static void remove(LockHandle handle) {
		Deque<LockHandle> stack = STACK.get();
		stack.removeFirstOccurrence(handle);
		if (stack.isEmpty()) {
			STACK.remove();
		}
	}

	/** How many handles the current thread's stack holds, closed ones not yet dropped included. */
	static int depth() {
		Deque<LockHandle> stack = STACK.get();
		int depth = stack.size();
		if (depth == 0) {
			STACK.remove();
		}
		return depth;
	}

	private static boolean isClosed(LockHandle handle) {
		return handle instanceof EngineLockHandle engineHandle && engineHandle.isClosed();
	}

}
