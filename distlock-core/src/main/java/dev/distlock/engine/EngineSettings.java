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

	/** The lease time of requests that set none, unless configured: {@code distlock.lease-time}'s default. */
	public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(30);

	/** The wait time of requests that set none, unless configured: a single attempt. */
	public static final Duration DEFAULT_WAIT_TIME = Duration.ZERO;

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

	/** The request's lease time, or the default. */
	public Duration leaseTime(dev.distlock.LockRequest request) {
		return (request.leaseTime() != null) ? request.leaseTime() : this.defaultLeaseTime;
	}

	/** The request's wait time, or the default. */
	public Duration waitTime(dev.distlock.LockRequest request) {
		return (request.waitTime() != null) ? request.waitTime() : this.defaultWaitTime;
	}

	/** 30s lease, a single attempt, no interrupt, system UTC clock. */
	public static EngineSettings defaults(String instanceId) {
		return defaults(instanceId, Clock.systemUTC());
	}

	/** Default lease and wait times, no interrupt, the given clock. */
	public static EngineSettings defaults(String instanceId, Clock clock) {
		return new EngineSettings(instanceId, DEFAULT_LEASE_TIME, DEFAULT_WAIT_TIME, false, clock);
	}

}
