package dev.distlock.redis;

import java.time.Duration;

/**
 * How many replicas must acknowledge a grant or renewal before it counts ({@code WAIT}), and how
 * long to wait for them: {@code distlock.redis.wait-for-replicas} and
 * {@code distlock.redis.wait-timeout}.
 *
 * <p>What this buys: a Sentinel or Cluster failover promotes a replica, and with replica
 * acknowledgement that replica already has every grant that was handed out, so the failover no
 * longer hands the same lock to a second holder. What remains: replication is still asynchronous
 * and acknowledged writes live in memory, so a crash of the master together with the acknowledging
 * replicas (or a replica restarted without persistence and then promoted) can still lose a grant;
 * fencing tokens are what keeps that harmless.
 *
 * @param replicas how many replicas must acknowledge; 0 switches the wait off
 * @param timeout how long one {@code WAIT} may block; positive, at most a minute
 */
public record ReplicaAcknowledgement(int replicas, Duration timeout) {

	/** The default for {@code distlock.redis.wait-timeout}. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(100);

	/** No waiting: a grant counts once the master has it. */
	public static final ReplicaAcknowledgement NONE = new ReplicaAcknowledgement(0, DEFAULT_TIMEOUT);

	public ReplicaAcknowledgement {
		if (replicas < 0) {
			throw new IllegalArgumentException(
					"distlock.redis.wait-for-replicas must be 0 or more, not " + replicas);
		}
		if (timeout == null || timeout.isNegative() || timeout.isZero()) {
			// WAIT with timeout 0 blocks forever: a lock call must never hang on a dead replica.
			throw new IllegalArgumentException(
					"distlock.redis.wait-timeout must be a positive duration, not " + timeout);
		}
		if (timeout.compareTo(Duration.ofMinutes(1)) > 0) {
			throw new IllegalArgumentException(
					"distlock.redis.wait-timeout must be at most 1m, not " + timeout);
		}
	}

	/** Whether grants wait for replicas at all. */
	public boolean enabled() {
		return this.replicas > 0;
	}

	/** The timeout for {@code WAIT}, in whole milliseconds, at least 1 (0 would block forever). */
	long timeoutMillis() {
		return Math.max(1, this.timeout.toMillis());
	}

}
