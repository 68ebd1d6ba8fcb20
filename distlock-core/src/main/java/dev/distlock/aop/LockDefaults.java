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
 */
public record LockDefaults(Duration leaseTime, Duration waitTime, boolean scheduledEnabled,
		Duration scheduledLeaseTime, @Nullable Duration scheduledMinHoldTime) {

	/** 30s lease, no wait, scheduled locking on with a 10m lease and half-period minimum hold. */
	public static LockDefaults standard() {
		return new LockDefaults(EngineSettings.DEFAULT_LEASE_TIME, EngineSettings.DEFAULT_WAIT_TIME, true,
				Duration.ofMinutes(10), null);
	}

}
