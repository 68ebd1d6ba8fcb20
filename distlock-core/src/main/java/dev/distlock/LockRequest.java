package dev.distlock;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What to lock and how. Immutable: {@link #of(String)} and every {@code with}-style method return a
 * new request.
 *
 * <pre class="code">
 * LockRequest.of("order:42").leaseTime(Duration.ofSeconds(30)).waitTime(Duration.ofSeconds(2))
 * </pre>
 *
 * A lease or wait time left unset takes the {@code distlock.lease-time} / {@code distlock.wait-time}
 * defaults of the {@link LockTemplate} that runs it.
 */
public final class LockRequest {

	private final String lockId;

	private final @Nullable Duration leaseTime;

	private final @Nullable Duration waitTime;

	private final Duration minHoldTime;

	private final boolean autoRenew;

	private final int permits;

	private LockRequest(String lockId, @Nullable Duration leaseTime, @Nullable Duration waitTime, Duration minHoldTime,
			boolean autoRenew, int permits) {
		this.lockId = lockId;
		this.leaseTime = leaseTime;
		this.waitTime = waitTime;
		this.minHoldTime = minHoldTime;
		this.autoRenew = autoRenew;
		this.permits = permits;
	}

	/**
	 * A request for the lock with the given id (any non-blank string).
	 * @throws IllegalArgumentException if the id is null or blank
	 */
	public static LockRequest of(String lockId) {
		if (lockId == null || lockId.isBlank()) {
			throw new IllegalArgumentException("lock id must not be null or blank");
		}
		return new LockRequest(lockId, null, null, Duration.ZERO, true, 1);
	}

	/** How long the lease lives without renewal; must be positive. */
	public LockRequest leaseTime(Duration leaseTime) {
		Objects.requireNonNull(leaseTime, "leaseTime");
		if (leaseTime.isZero() || leaseTime.isNegative()) {
			throw new IllegalArgumentException("leaseTime must be positive, was " + leaseTime);
		}
		return new LockRequest(this.lockId, leaseTime, this.waitTime, this.minHoldTime, this.autoRenew, this.permits);
	}

	/** How long to wait for a busy lock; zero means a single attempt. */
	public LockRequest waitTime(Duration waitTime) {
		return new LockRequest(this.lockId, this.leaseTime, requireNotNegative(waitTime, "waitTime"), this.minHoldTime,
				this.autoRenew, this.permits);
	}

	/**
	 * Keep the lock at least this long after acquisition, even if released earlier; at most the
	 * lease time (checked when the lock is acquired, against the template's default if unset).
	 */
	public LockRequest minHoldTime(Duration minHoldTime) {
		return new LockRequest(this.lockId, this.leaseTime, this.waitTime, requireNotNegative(minHoldTime, "minHoldTime"),
				this.autoRenew, this.permits);
	}

	/** Whether the watchdog renews the lease while it is held (default {@code true}). */
	public LockRequest autoRenew(boolean autoRenew) {
		return new LockRequest(this.lockId, this.leaseTime, this.waitTime, this.minHoldTime, autoRenew, this.permits);
	}

	/**
	 * How many holders the lock id may have at once across the cluster (default 1: a plain lock). With
	 * more, each grant takes one permit; a thread that holds one re-enters without taking a second.
	 * Every user of one lock id must ask for the same number of permits.
	 * @throws IllegalArgumentException if {@code permits < 1}
	 */
	public LockRequest permits(int permits) {
		if (permits < 1) {
			throw new IllegalArgumentException("permits must be at least 1, was " + permits);
		}
		return new LockRequest(this.lockId, this.leaseTime, this.waitTime, this.minHoldTime, this.autoRenew, permits);
	}

	public String lockId() {
		return this.lockId;
	}

	/** The lease time, or {@code null} for the template's default. */
	public @Nullable Duration leaseTime() {
		return this.leaseTime;
	}

	/** The wait time, or {@code null} for the template's default. */
	public @Nullable Duration waitTime() {
		return this.waitTime;
	}

	public Duration minHoldTime() {
		return this.minHoldTime;
	}

	public boolean autoRenew() {
		return this.autoRenew;
	}

	/** How many holders the lock id may have at once; 1 for a plain lock. */
	public int permits() {
		return this.permits;
	}

	private static Duration requireNotNegative(Duration duration, String name) {
		Objects.requireNonNull(duration, name);
		if (duration.isNegative()) {
			throw new IllegalArgumentException(name + " must not be negative, was " + duration);
		}
		return duration;
	}

	@Override
	public boolean equals(Object other) {
		return this == other || (other instanceof LockRequest that && this.lockId.equals(that.lockId)
				&& Objects.equals(this.leaseTime, that.leaseTime) && Objects.equals(this.waitTime, that.waitTime)
				&& this.minHoldTime.equals(that.minHoldTime) && this.autoRenew == that.autoRenew
				&& this.permits == that.permits);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.lockId, this.leaseTime, this.waitTime, this.minHoldTime, this.autoRenew, this.permits);
	}

	@Override
	public String toString() {
		return "LockRequest[" + this.lockId + ", leaseTime=" + this.leaseTime + ", waitTime=" + this.waitTime
				+ ", minHoldTime=" + this.minHoldTime + ", autoRenew=" + this.autoRenew + ", permits=" + this.permits + "]";
	}

}
