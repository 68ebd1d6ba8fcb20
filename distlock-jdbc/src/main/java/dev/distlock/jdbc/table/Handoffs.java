package dev.distlock.jdbc.table;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.distlock.spi.ReleaseSubscription;

/**
 * Fair hand-off between instances on PostgreSQL. A release wakes the other instances' waiters, but
 * the instance that released can try again a notification's delivery sooner and would win most
 * rounds, starving the others. So an instance that won a lock from other instances (it waited, and
 * its token shows that someone else held the lock since its own last grant) holds back after it
 * releases that lock: its next attempt first waits until a waiter announces that it was granted the
 * next token (see {@code acquire.sql}), at most {@value #COURTESY_MILLIS} ms, then asks the
 * database as always, finds the lock busy and queues behind that waiter. If nobody takes the lock,
 * it gets it that much later, and since its token then follows its own it does not hold back next
 * time. Nothing here refuses or grants a lock: only the database decides.
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

	/** Leases (key and owner) that this instance won from other instances' waiters, with their token. */
	private final Map<String, Long> wonFromOthers = new ConcurrentHashMap<>();

	/** What this instance waits for before its next attempt on a lock key it released. */
	private final Map<String, Courtesy> holdBack = new ConcurrentHashMap<>();

	/**
	 * Waits, if this instance released the lock key after winning it from others, until the next
	 * grant is announced or the courtesy time is over; keeps the thread's interrupt.
	 * @param announcements subscribes to the announcement of a grant: lock id's key XOR token
	 */
	void beforeAttempt(String lockKey, long notifyKey, Announcements announcements) {
		Courtesy courtesy = this.holdBack.remove(lockKey);
		if (courtesy == null) {
			return;
		}
		long remaining = courtesy.until - System.nanoTime();
		if (remaining <= 0) {
			return;
		}
		CountDownLatch granted = new CountDownLatch(1);
		try (ReleaseSubscription subscription = announcements.onAnnounced(notifyKey ^ courtesy.nextToken,
				granted::countDown)) {
			granted.await(remaining, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Notes a grant.
	 * @param waited whether this instance was waiting for the lock (it had a wake-up subscription)
	 */
	void granted(String lockKey, String owner, long token, boolean waited) {
		Long previous = bounded(this.lastGrant).put(lockKey, token);
		if (waited && previous != null && token > previous + 1) {
			bounded(this.wonFromOthers).put(lockKey + '\n' + owner, token);
		}
	}

	/** Notes a release, starting the courtesy time where it is due. */
	void released(String lockKey, String owner) {
		Long token = this.wonFromOthers.remove(lockKey + '\n' + owner);
		if (token != null) {
			bounded(this.holdBack).put(lockKey, new Courtesy(System.nanoTime() + COURTESY_NANOS, token + 1));
		}
	}

	/** Whether a courtesy time was started for the lock key and no attempt has used it up yet. */
	boolean holdsBack(String lockKey) {
		return this.holdBack.containsKey(lockKey);
	}

	/** How many lock keys the largest of its maps tracks. */
	int trackedKeys() {
		return Math.max(this.lastGrant.size(), Math.max(this.wonFromOthers.size(), this.holdBack.size()));
	}

	private static <V> Map<String, V> bounded(Map<String, V> map) {
		if (map.size() >= MAX_KEYS) {
			map.clear();
		}
		return map;
	}

	/** Where grants are announced. */
	@FunctionalInterface
	interface Announcements {

		/** Calls the listener when the given announcement (key XOR token) arrives. */
		ReleaseSubscription onAnnounced(long announcement, Runnable listener);

	}

	/** Until when (nano time) to wait for the grant of which token. */
	private record Courtesy(long until, long nextToken) {
	}

}
