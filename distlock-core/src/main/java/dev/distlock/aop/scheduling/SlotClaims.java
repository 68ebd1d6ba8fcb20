package dev.distlock.aop.scheduling;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.StringValueResolver;

import dev.distlock.LockBackendException;
import dev.distlock.engine.LockEngine;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;

/**
 * Makes a {@code @Scheduled} job run once per fire time across the cluster: before a run takes the
 * job's lock, it claims its {@link FireSlot} — a lease on {@code <job lock id>@<slot>} in the job's
 * own backend, one extra round trip — and only the instance that wins the claim runs that tick.
 *
 * <p>A claim lives until the tick cannot start anywhere any more: every instance's clock may be off
 * true time by {@code maxClockSkew}, so two instances are up to twice that apart, and a run still
 * belongs to its slot until the slot's {@link FireSlot#lastStart()}. The claim therefore ends
 * {@code 2 * maxClockSkew + }{@value #MARGIN_MILLIS}{@code ms} after that, by the claimer's clock.
 * <ul>
 * <li>On backends with a TTL ({@code redis}, {@code jdbc-table}, {@code in-memory}) the claim is a
 * lease of exactly that length, never released early: it outlives its claimer's shutdown or crash.
 * <li>On session-scoped backends ({@code postgres}, {@code mysql}, {@code zookeeper}) a lease lives
 * as long as the claimer's session, so the claimer keeps it for that long and then releases it, and
 * its shutdown waits (bounded by that window) until its claims have passed. <strong>A claimer that
 * crashes</strong> within that window loses its claims with its session: an instance whose clock lags
 * may then run that tick a second time (PostgreSQL and MySQL drop the session at once; ZooKeeper only
 * after its session timeout, which is longer than the window by default).
 * </ul>
 * Fixed-delay jobs have no shared tick: they are not claimed. Claims are taken with the job's lock
 * ids, so a job keyed by an expression claims per key.
 */
public final class SlotClaims implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(SlotClaims.class);

	/** Slack on top of the skew window, for round trips and a scheduler's jitter. */
	static final long MARGIN_MILLIS = 500;

	/** How late a cron run may start at least and still be its tick's run. */
	private static final Duration MIN_LATE_TOLERANCE = Duration.ofSeconds(1);

	private final Duration maxClockSkew;

	private final FireScheduleSource schedules;

	private final SessionClaims sessionClaims = new SessionClaims();

	private final String ownerPrefix = "#slot-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + ".";

	private final AtomicLong claimCounter = new AtomicLong();

	private volatile boolean running;

	/**
	 * @param valueResolver resolves placeholders in {@code @Scheduled} attributes, or {@code null}
	 * @param maxClockSkew {@code distlock.scheduled.max-clock-skew}: how far any instance's clock may be
	 * off true time; set the same on every instance
	 */
	public SlotClaims(@Nullable StringValueResolver valueResolver, Duration maxClockSkew) {
		this.maxClockSkew = maxClockSkew;
		Duration lateTolerance = (maxClockSkew.compareTo(MIN_LATE_TOLERANCE) > 0) ? maxClockSkew : MIN_LATE_TOLERANCE;
		this.schedules = new FireScheduleSource(valueResolver, lateTolerance);
	}

	/**
	 * Decides whether this run of a scheduled method may go ahead, claiming its slot if it has one.
	 * @param method the scheduled method (on the user class)
	 * @param engine the engine of the job's provider
	 * @param lockId the job's lock id for this run
	 * @throws LockBackendException if the backend cannot be reached (the job does not run)
	 */
	public Admission admit(Method method, LockEngine engine, String lockId) {
		Optional<FireSchedule> schedule = this.schedules.scheduleOf(method);
		if (schedule.isEmpty()) {
			return Admission.NO_TICK;
		}
		Instant now = engine.settings().clock().instant();
		Optional<FireSlot> slot = schedule.get().slotAt(now);
		if (slot.isEmpty()) {
			logger.info("Skipped {}: it started at {}, too late to count as a tick of {} (more than {} after its "
					+ "fire time); give the scheduler more threads if its jobs start late", lockId, now,
					schedule.get(), schedule.get().longestSlotSpan());
			return new Admission(Outcome.NOT_A_TICK, null);
		}
		return claim(engine, lockId, slot.get(), schedule.get(), now);
	}

	private Admission claim(LockEngine engine, String lockId, FireSlot slot, FireSchedule schedule, Instant now) {
		LockProvider provider = engine.provider();
		boolean sessionScoped = isSessionScoped(provider);
		if (sessionScoped && !this.running) {
			logger.debug("Skipped {} for {}: shutting down, a new claim could not be kept", lockId, slot.fireTime());
			return new Admission(Outcome.TAKEN, slot);
		}
		Duration window = Duration.between(now, slot.lastStart().plus(skewWindow()));
		if (window.toMillis() < MARGIN_MILLIS) {
			window = Duration.ofMillis(MARGIN_MILLIS);
		}
		Duration claimLife = schedule.longestSlotSpan().plus(skewWindow()).plus(this.maxClockSkew);
		String claimId = SlotClaimIds.of(lockId, slot, claimLife);
		String owner = engine.settings().instanceId() + this.ownerPrefix + this.claimCounter.incrementAndGet();
		Optional<Lease> claim;
		try {
			claim = provider.tryAcquire(new LeaseRequest(claimId, owner, window));
		}
		catch (LockBackendException ex) {
			throw new LockBackendException(lockId + " did not run for its fire time " + slot.fireTime()
					+ ": claiming '" + claimId + "' on " + provider.id() + " failed: " + ex.getMessage(), ex);
		}
		catch (RuntimeException ex) {
			throw new LockBackendException(lockId + " did not run for its fire time " + slot.fireTime()
					+ ": claiming '" + claimId + "' on " + provider.id() + " failed: " + ex, ex);
		}
		if (claim.isEmpty()) {
			logger.debug("Skipped {} for {}: another instance claimed that tick", lockId, slot.fireTime());
			return new Admission(Outcome.TAKEN, slot);
		}
		if (sessionScoped) {
			this.sessionClaims.hold(provider, claim.get(), window);
		}
		logger.debug("Claimed {} for {} until {} from now", lockId, slot.fireTime(), window);
		return new Admission(Outcome.CLAIMED, slot);
	}

	/** Twice the skew and the margin: how long after its last start a tick may still start elsewhere. */
	private Duration skewWindow() {
		return this.maxClockSkew.multipliedBy(2).plusMillis(MARGIN_MILLIS);
	}

	/**
	 * The one place that asks whether a provider's leases vanish with its session rather than by a
	 * backend TTL (then claims are held and released by this instance).
	 */
	private static boolean isSessionScoped(LockProvider provider) {
		return provider.capabilities().contains(ProviderCapability.SESSION_SCOPED_LEASES);
	}

	@Override
	public void start() {
		this.running = true;
	}

	/** Waits until the claims held on session-scoped backends have passed their window, then releases them. */
	@Override
	public void stop() {
		this.running = false;
		this.sessionClaims.drain();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** After schedulers stopped, before the providers close (the held-locks drain stops last). */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE + 2000;
	}

	/** What happened to a run's slot. */
	public enum Outcome {

		/** The job has no shared tick (fixed delay): it runs under its lock alone. */
		NO_TICK,

		/** This instance won the tick: it runs if it gets the job's lock. */
		CLAIMED,

		/** Another instance has the tick (or this one is shutting down): skip. */
		TAKEN,

		/** The run started too late to be a tick's run: skip. */
		NOT_A_TICK

	}

	/**
	 * @param outcome what happened
	 * @param slot the run's slot, or {@code null} without one
	 */
	public record Admission(Outcome outcome, @Nullable FireSlot slot) {

		/** A run of a job without shared ticks, or of a method that is not scheduled. */
		public static final Admission NO_TICK = new Admission(Outcome.NO_TICK, null);

		/** Whether the run may go ahead (and take the job's lock). */
		public boolean admitted() {
			return this.outcome == Outcome.NO_TICK || this.outcome == Outcome.CLAIMED;
		}

	}

}
