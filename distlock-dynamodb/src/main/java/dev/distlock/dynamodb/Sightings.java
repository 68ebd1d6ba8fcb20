package dev.distlock.dynamodb;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * What one provider instance has seen of other holders' items, on its own monotonic clock: the
 * expiry rule of {@link DynamoDbLockProvider}. A record version may be taken over once it has been
 * seen unchanged for its lease time plus {@link #DRIFT_ALLOWANCE}. A version this instance wrote
 * itself counts from the moment its write was sent (the holder's engine counts its lease from no
 * later than that); a version written by someone else counts from the moment a response showing
 * it was received (the write was committed before that, so it was sent before that, too).
 *
 * <p>Bounded: the least recently seen entries are forgotten beyond {@link #CAPACITY} locks, which
 * only delays a takeover (the next sighting starts the count again), never hastens one.
 */
final class Sightings {

	/**
	 * The extra fraction of the lease a waiter waits: it tolerates a waiter's clock running up to 1%
	 * faster than the holder's (quartz clocks drift by a few parts per million; NTP slews at most 0.05%).
	 */
	static final double DRIFT_ALLOWANCE = 0.01;

	static final int CAPACITY = 10_000;

	private final LongSupplier nanoTime;

	private final Map<String, Sighting> byKey = new LinkedHashMap<>(64, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Sighting> eldest) {
			return size() > CAPACITY;
		}
	};

	Sightings(LongSupplier nanoTime) {
		this.nanoTime = nanoTime;
	}

	long now() {
		return this.nanoTime.getAsLong();
	}

	/** This instance sent a write of {@code version} at {@code sentNanos}. */
	synchronized void wrote(String key, String version, long leaseMillis, long sentNanos) {
		this.byKey.put(key, new Sighting(version, sentNanos, leaseMillis));
	}

	/** A response received at {@code receivedNanos} showed the item held with this version. */
	synchronized void saw(String key, LockItem item, long receivedNanos) {
		Sighting known = this.byKey.get(key);
		if (known == null || !known.version().equals(item.recordVersion())) {
			this.byKey.put(key, new Sighting(item.recordVersion(), receivedNanos, item.leaseMillis()));
		}
	}

	synchronized void forget(String key) {
		this.byKey.remove(key);
	}

	/** The version that has stayed unchanged for its lease time (with the drift allowance), if any. */
	synchronized @Nullable String expiredVersion(String key) {
		Sighting sighting = this.byKey.get(key);
		if (sighting == null) {
			return null;
		}
		long waitNanos = (long) (sighting.leaseMillis() * 1_000_000L * (1 + DRIFT_ALLOWANCE));
		return (now() - sighting.sinceNanos() >= waitNanos) ? sighting.version() : null;
	}

	private record Sighting(String version, long sinceNanos, long leaseMillis) {
	}

}
