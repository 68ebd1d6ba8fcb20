package dev.distlock.actuate;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.distlock.engine.LockEngineObserver;
import dev.distlock.engine.LockOrigin;

/**
 * Meters of held locks, tagged with {@code provider} and {@code lock.name} (the static name, never a
 * per-call key): the {@code distlock.hold} timer (how long locks were held), and the
 * {@code distlock.renewals} and {@code distlock.leases.lost} counters.
 */
public class MeterLockEngineObserver implements LockEngineObserver {

	/** Timer of hold times. */
	public static final String HOLD = "distlock.hold";

	/** Counter of lease renewals. */
	public static final String RENEWALS = "distlock.renewals";

	/** Counter of lost leases. */
	public static final String LEASES_LOST = "distlock.leases.lost";

	static final String PROVIDER_TAG = "provider";

	static final String LOCK_NAME_TAG = "lock.name";

	private final Meter.MeterProvider<Timer> hold;

	private final Meter.MeterProvider<Counter> renewals;

	private final Meter.MeterProvider<Counter> leasesLost;

	public MeterLockEngineObserver(MeterRegistry registry) {
		this.hold = Timer.builder(HOLD).description("How long locks were held").withRegistry(registry);
		this.renewals = Counter.builder(RENEWALS).description("Lease renewals by the watchdog").withRegistry(registry);
		this.leasesLost = Counter.builder(LEASES_LOST)
			.description("Held leases found lost (expired, taken over or force-released)")
			.withRegistry(registry);
	}

	@Override
	public void released(String providerId, LockOrigin origin, Duration heldFor) {
		this.hold.withTags(PROVIDER_TAG, providerId, LOCK_NAME_TAG, origin.lockName()).record(heldFor);
	}

	@Override
	public void renewed(String providerId, LockOrigin origin) {
		this.renewals.withTags(PROVIDER_TAG, providerId, LOCK_NAME_TAG, origin.lockName()).increment();
	}

	@Override
	public void leaseLost(String providerId, LockOrigin origin, String lockId, long fencingToken, String reason) {
		this.leasesLost.withTags(PROVIDER_TAG, providerId, LOCK_NAME_TAG, origin.lockName()).increment();
	}

}
