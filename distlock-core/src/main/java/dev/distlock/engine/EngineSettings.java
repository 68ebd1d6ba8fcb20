package dev.distlock.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link LockEngine} behaves.
 *
 * @param instanceId this application instance's id, the prefix of every owner token
 * @param defaultLeaseTime lease time for requests that set none
 * @param defaultWaitTime wait time for requests that set none
 * @param interruptOnLeaseLost interrupt the thread that runs a protected method when its lease is lost
 * @param clock wall clock for timestamps (durations use the monotonic clock)
 */
public record EngineSettings(String instanceId, Duration defaultLeaseTime, Duration defaultWaitTime,
		boolean interruptOnLeaseLost, Clock clock) {

	public EngineSettings {
		Objects.requireNonNull(instanceId, "instanceId");
		Objects.requireNonNull(clock, "clock");
		if (defaultLeaseTime.isZero() || defaultLeaseTime.isNegative()) {
			throw new IllegalArgumentException("default lease time must be positive, was " + defaultLeaseTime);
		}
		if (defaultWaitTime.isNegative()) {
			throw new IllegalArgumentException("default wait time must not be negative, was " + defaultWaitTime);
		}
	}

	/** 30s lease, a single attempt, no interrupt, system UTC clock. */
	public static EngineSettings defaults(String instanceId) {
		return new EngineSettings(instanceId, Duration.ofSeconds(30), Duration.ZERO, false, Clock.systemUTC());
	}

}
