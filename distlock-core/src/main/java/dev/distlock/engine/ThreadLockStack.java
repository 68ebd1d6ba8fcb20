package dev.distlock.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

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

	/** Every lock the current thread holds that is not yet closed, outermost first. */
	public static List<LockHandle> all() {
		Deque<LockHandle> stack = STACK.get();
		stack.removeIf(ThreadLockStack::isClosed);
		List<LockHandle> all = new ArrayList<>(stack);
		if (stack.isEmpty()) {
			STACK.remove();
		}
		Collections.reverse(all);
		return List.copyOf(all);
	}

	/**
	 * The grant (not a re-entry) of this lock id that the current thread acquired from the given
	 * engine and has not closed:
	 * what a re-entry joins. With permits the engine holds several grants of one id, one per permit,
	 * so the current thread's own is found here rather than by id alone.
	 */
	static @Nullable Grant grantFor(GrantLifecycle engine, String lockId) {
		Deque<LockHandle> stack = STACK.get();
		for (LockHandle handle : stack) {
			if (handle instanceof Grant grant && grant.lifecycle() == engine && !grant.isClosed()
					&& grant.lockId().equals(lockId)) {
				return grant;
			}
		}
		if (stack.isEmpty()) {
			STACK.remove();
		}
		return null;
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
