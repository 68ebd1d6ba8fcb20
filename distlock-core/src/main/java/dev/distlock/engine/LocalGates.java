package dev.distlock.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The in-JVM gate per lock id: threads of one instance that want the same lock queue here, fairly,
 * before anyone talks to the backend. A gate is a permit, not a thread-owned lock, because a grant
 * may be released on another thread. Gates are removed when nobody uses them.
 */
final class LocalGates {

	private final Map<String, Gate> gates = new ConcurrentHashMap<>();

	/**
	 * Passes the gate for the lock id, waiting up to the timeout.
	 * @return the passed gate, to be {@linkplain Gate#leave() left} exactly once, or {@code null} if
	 * another thread of this instance kept it for the whole timeout
	 */
	Gate pass(String lockId, long timeoutNanos) throws InterruptedException {
		Gate gate = this.gates.compute(lockId, (id, existing) -> {
			Gate g = (existing != null) ? existing : new Gate(id);
			g.users++;
			return g;
		});
		boolean passed = false;
		try {
			passed = (timeoutNanos <= 0) ? gate.permit.tryAcquire()
					: gate.permit.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS);
		}
		finally {
			if (!passed) {
				unuse(gate);
			}
		}
		return passed ? gate : null;
	}

	int size() {
		return this.gates.size();
	}

	private void unuse(Gate gate) {
		this.gates.computeIfPresent(gate.lockId, (id, g) -> (--g.users == 0) ? null : g);
	}

	/** A passed gate. */
	final class Gate {

		private final String lockId;

		private final Semaphore permit = new Semaphore(1, true);

		private int users; // guarded by the map's compute

		private Gate(String lockId) {
			this.lockId = lockId;
		}

		void leave() {
			this.permit.release();
			unuse(this);
		}

	}

}
