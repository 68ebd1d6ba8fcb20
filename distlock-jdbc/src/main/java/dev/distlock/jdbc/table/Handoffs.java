package dev.distlock.jdbc.table;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Fair hand-off between instances on PostgreSQL. A release wakes the other instances' waiters, but
 * the instance that released can try again a notification's delivery sooner and would win most
 * rounds, starving the others. So an instance that won a lock from other instances (it waited, and
 * its token shows that someone else held the lock since its own last grant) holds back for
 * {@value #COURTESY_MILLIS} ms after it releases that lock: an attempt of its own within that time
 * first sleeps out the rest of it, then asks the database as always. The woken waiters take the
 * lock meanwhile, so the retrying instance honestly finds it busy and waits its turn; if nobody took
 * it, it gets it a few milliseconds late, and since its token then follows its own it does not hold
 * back next time. Nothing here ever refuses or grants a lock: only the database decides.
 *
 * <p>State is per lock key and bounded: it is dropped when it passes {@value #MAX_KEYS} keys, losing
 * only hints.
 */
final class Handoffs {

	static final long COURTESY_MILLIS = 5;

	private static final long COURTESY_NANOS = TimeUnit.MILLISECONDS.toNanos(COURTESY_MILLIS);

	static final int MAX_KEYS = 4096;

	/** The token of this instance's last grant of a lock key. */
	private final Map<String, Long> lastGrant = new ConcurrentHashMap<>();

	/** Leases (key and owner) that this instance won from other instances' waiters. */
	private final Map<String, Boolean> wonFromOthers = new ConcurrentHashMap<>();

	/** Until when (nano time) this instance holds back from a lock key it released. */
	private final Map<String, Long> holdBackUntil = new ConcurrentHashMap<>();

	/**
	 * Sleeps out the rest of the courtesy time after this instance released the lock key, if it won
	 * it from others; keeps the thread's interrupt.
	 */
	void beforeAttempt(String lockKey) {
		Long until = this.holdBackUntil.get(lockKey);
		if (until == null) {
			return;
		}
		long remaining = until - System.nanoTime();
		while (remaining > 0 && !Thread.currentThread().isInterrupted()) {
			LockSupport.parkNanos(remaining);
			remaining = until - System.nanoTime();
		}
		this.holdBackUntil.remove(lockKey, until);
	}

	/**
	 * Notes a grant.
	 * @param waited whether this instance was waiting for the lock (it had a wake-up subscription)
	 */
	void granted(String lockKey, String owner, long token, boolean waited) {
		Long previous = bounded(this.lastGrant).put(lockKey, token);
		if (waited && previous != null && token > previous + 1) {
			bounded(this.wonFromOthers).put(lockKey + '\n' + owner, Boolean.TRUE);
		}
	}

	/** Notes a release (or a lease found lost), starting the courtesy time where it is due. */
	void released(String lockKey, String owner) {
		if (this.wonFromOthers.remove(lockKey + '\n' + owner) != null) {
			bounded(this.holdBackUntil).put(lockKey, System.nanoTime() + COURTESY_NANOS);
		}
	}

	/** Whether a courtesy time was started for the lock key and no attempt has used it up yet. */
	boolean holdsBack(String lockKey) {
		return this.holdBackUntil.containsKey(lockKey);
	}

	/** How many lock keys the largest of its maps tracks. */
	int trackedKeys() {
		return Math.max(this.lastGrant.size(), Math.max(this.wonFromOthers.size(), this.holdBackUntil.size()));
	}

	private static <V> Map<String, V> bounded(Map<String, V> map) {
		if (map.size() >= MAX_KEYS) {
			map.clear();
		}
		return map;
	}

}
