package dev.distlock.aop;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.distlock.engine.EngineSettings;

/**
 * Defaults for attributes an annotation leaves empty (the {@code distlock.*} properties).
 *
 * @param leaseTime {@code distlock.lease-time}
 * @param waitTime {@code distlock.wait-time}
 * @param scheduledEnabled {@code distlock.scheduled.enabled}: lock every {@code @Scheduled} method
 * @param scheduledLeaseTime {@code distlock.scheduled.lease-time}
 * @param scheduledMinHoldTime {@code distlock.scheduled.min-hold-time}, or {@code null} for half the
 * job's period
 * @param maxClockSkew {@code distlock.scheduled.max-clock-skew}: bound on each instance's clock offset
 */
public record LockDefaults(Duration leaseTime, Duration waitTime, boolean scheduledEnabled,
		Duration scheduledLeaseTime, @Nullable Duration scheduledMinHoldTime, Duration maxClockSkew) {

	/** The default {@code distlock.scheduled.max-clock-skew}. */
	public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofSeconds(1);

	/** With the default clock skew bound. */
	public LockDefaults(Duration leaseTime, Duration waitTime, boolean scheduledEnabled, Duration scheduledLeaseTime,
			@Nullable Duration scheduledMinHoldTime) {
		this(leaseTime, waitTime, scheduledEnabled, scheduledLeaseTime, scheduledMinHoldTime, DEFAULT_MAX_CLOCK_SKEW);
	}

	/**
	 * 30s lease, no wait, scheduled locking on with the same 30s lease (renewed while a job runs) and the
	 * default minimum hold.
	 */
	public static LockDefaults standard() {
		return new LockDefaults(EngineSettings.DEFAULT_LEASE_TIME, EngineSettings.DEFAULT_WAIT_TIME, true,
				EngineSettings.DEFAULT_LEASE_TIME, null);
	}

}
