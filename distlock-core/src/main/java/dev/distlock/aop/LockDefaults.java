package dev.distlock.aop;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Defaults for attributes an annotation leaves empty (the {@code distlock.*} properties).
 *
 * @param leaseTime {@code distlock.lease-time}
 * @param waitTime {@code distlock.wait-time}
 * @param scheduledEnabled {@code distlock.scheduled.enabled}: lock every {@code @Scheduled} method
 * @param scheduledLeaseTime {@code distlock.scheduled.lease-time}
 * @param scheduledMinHoldTime {@code distlock.scheduled.min-hold-time}, or {@code null} for the
 * default: none for jobs whose ticks are claimed (cron, fixed rate), half the period for fixed-delay jobs
 */
public record LockDefaults(Duration leaseTime, Duration waitTime, boolean scheduledEnabled,
		Duration scheduledLeaseTime, @Nullable Duration scheduledMinHoldTime) {

	/**
	 * 30s lease, no wait, scheduled locking on with the same 30s lease (renewed while a job runs) and the
	 * default minimum hold.
	 */
	public static LockDefaults standard() {
		return new LockDefaults(Duration.ofSeconds(30), Duration.ZERO, true, Duration.ofSeconds(30), null);
	}

}
