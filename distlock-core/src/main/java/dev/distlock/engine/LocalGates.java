package dev.distlock.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The in-JVM gate per lock id: threads of one instance that want the same lock queue here, fairly,
 * before anyone talks to the backend; a lock with N permits admits N threads. A gate is a permit, not a thread-owned lock, because a grant
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
		return pass(lockId, 1, timeoutNanos);
	}

	/**
	 * Passes the gate for the lock id, which admits {@code permits} threads at once (fixed when the
	 * gate is created, i.e. by its first user while nobody uses it), waiting up to the timeout.
	 * @return the passed gate, or {@code null} if it stayed full for the whole timeout
	 */
	Gate pass(String lockId, int permits, long timeoutNanos) throws InterruptedException {
		Gate gate = this.gates.compute(lockId, (id, existing) -> {
			Gate g = (existing != null) ? existing : new Gate(id, permits);
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

	/** Passes a one-thread gate only if it is free right now; {@code null} otherwise. */
	Gate tryPass(String lockId) {
		try {
			return pass(lockId, 1, 0);
		}
		catch (InterruptedException ex) {
			// Not thrown without a timeout: a zero timeout never waits.
			Thread.currentThread().interrupt();
			return null;
		}
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

		private final Semaphore permit;

		private int users; // guarded by the map's compute

		private Gate(String lockId, int permits) {
			this.lockId = lockId;
			this.permit = new Semaphore(permits, true);
		}

		void leave() {
			this.permit.release();
			unuse(this);
		}

	}

}
