package dev.distlock.leader;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;

/**
 * What every candidate of one {@link LockLeaderElection} shares: the provider, the scheduler, the
 * lease and the timings derived from it, owner tokens, and where events go.
 */
final class CampaignSettings {

	/**
	 * Poll while another instance leads and the provider wakes us on release: only catches expiries
	 * (a crashed leader's lease), as the engine's waiters do.
	 */
	private static final long NOTIFIED_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

	/** Poll while another instance leads and the provider cannot wake us: keeps handover under a second. */
	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

	private final LockProvider provider;

	private final ScheduledExecutorService scheduler;

	private final Duration leaseTime;

	private final LeadershipEvents events;

	private final Consumer<Candidate> onClosed;

	private final boolean notifications;

	private final boolean sessionScoped;

	private final String ownerPrefix;

	private final AtomicLong grants = new AtomicLong();

	CampaignSettings(LockProvider provider, ScheduledExecutorService scheduler, String instanceId,
			Duration leaseTime, LeadershipEvents events, Consumer<Candidate> onClosed) {
		this.provider = provider;
		this.scheduler = scheduler;
		this.leaseTime = leaseTime;
		this.events = events;
		this.onClosed = onClosed;
		this.notifications = provider.capabilities().contains(ProviderCapability.RELEASE_NOTIFICATIONS);
		this.sessionScoped = provider.capabilities().contains(ProviderCapability.SESSION_SCOPED_LEASES);
		this.ownerPrefix = instanceId + "#leader." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
				+ ".";
	}

	LockProvider provider() {
		return this.provider;
	}

	ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	Duration leaseTime() {
		return this.leaseTime;
	}

	LeadershipEvents events() {
		return this.events;
	}

	Consumer<Candidate> onClosed() {
		return this.onClosed;
	}

	boolean sessionScoped() {
		return this.sessionScoped;
	}

	/** A new owner token, unique per grant: {@code <instance>#leader.<random>.<n>}. */
	String nextOwner() {
		return this.ownerPrefix + this.grants.incrementAndGet();
	}

	/** Renewal every third of the lease. */
	long renewNanos() {
		return this.leaseTime.toNanos() / 3;
	}

	/**
	 * How long a grant or renewal is trusted after it was sent: the lease less a twentieth, a margin
	 * for the two clocks' rates (a healthy clock drifts far less).
	 */
	long trustedNanos() {
		return this.leaseTime.toNanos() - this.leaseTime.toNanos() / 20;
	}

	/**
	 * The pause before the next attempt while another instance leads: between half and all of the
	 * poll step (jittered so candidates do not poll in lock-step, never longer, so a crashed leader is
	 * succeeded within its lease plus one step); never longer than a third of the lease.
	 */
	long pollNanos() {
		long step = Math.min(this.notifications ? NOTIFIED_POLL_NANOS : POLL_NANOS, renewNanos());
		return step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
	}

}
