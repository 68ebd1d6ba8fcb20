package dev.distlock.leader;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.Leadership;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.ReleaseSubscription;

/**
 * One group's candidate on this instance: campaigns for the group's lock, renews it while leading,
 * and revokes leadership locally when a renewal cannot be confirmed in time.
 *
 * <p>All backend work of a candidate runs as one chain of steps on the election's shared scheduler
 * (never two at once, never a thread parked per group): a step campaigns while not leading and
 * renews while leading, then schedules the next. A release notification from the provider pulls the
 * next campaign step forward. Leadership is judged against a deadline on the monotonic clock
 * ({@link #isLeader()} reads it), set from the moment a grant or renewal was <em>sent</em>: the
 * backend's lease started no earlier, so this instance stops leading before the backend can hand
 * the lock to anybody else, even when the scheduler is late.
 *
 * <p>Over our usual size on purpose: the campaign and renewal steps of one group share one state
 * machine (leader, term, deadline, back-off), and splitting it would spread its invariants over
 * classes that each see half of the state.
 */
final class Candidate implements Leadership {

	private static final Logger logger = LoggerFactory.getLogger(Candidate.class);

	private final String group;

	private final String lockId;

	private final CampaignSettings settings;

	private final Object monitor = new Object();

	// State below is guarded by the monitor.

	private @Nullable Lease lease;

	private long confirmedUntilNanos;

	private long quietUntilNanos;

	private boolean closed;

	private boolean stepRunning;

	private boolean stepAgain;

	private @Nullable ScheduledFuture<?> nextStep;

	private @Nullable ScheduledFuture<?> deadline;

	private ReleaseSubscription subscription = ReleaseSubscription.NONE;

	private final BackendTrouble trouble;

	Candidate(String group, CampaignSettings settings) {
		this.group = group;
		this.lockId = "leader:" + group;
		this.settings = settings;
		this.trouble = new BackendTrouble(group, settings.leaseTime());
	}

	/** Subscribes to release notifications and starts campaigning. */
	void start() {
		ReleaseSubscription subscription = this.settings.provider().onRelease(this.lockId, this::wake);
		synchronized (this.monitor) {
			if (this.closed) {
				subscription.close();
				return;
			}
			this.subscription = subscription;
			scheduleStep(0);
		}
	}

	@Override
	public String group() {
		return this.group;
	}

	/** The lock id of the group: {@code leader:<group>}. */
	String lockId() {
		return this.lockId;
	}

	/** Why the backend could not be reached on the last attempt, or {@code null} if it answered. */
	@Nullable String backendProblem() {
		return this.trouble.problem();
	}

	@Override
	public boolean isLeader() {
		synchronized (this.monitor) {
			return leading();
		}
	}

	@Override
	public OptionalLong term() {
		synchronized (this.monitor) {
			Lease held = this.lease;
			return (held != null && leading()) ? OptionalLong.of(held.fencingToken()) : OptionalLong.empty();
		}
	}

	@Override
	public boolean awaitLeadership(Duration timeout) throws InterruptedException {
		long end = System.nanoTime() + timeout.toNanos();
		synchronized (this.monitor) {
			while (!leading()) {
				long left = end - System.nanoTime();
				if (left <= 0 || this.closed) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this.monitor, left);
			}
			return true;
		}
	}

	@Override
	public void stepDown() {
		Lease given;
		synchronized (this.monitor) {
			given = this.lease;
			if (given == null || this.closed) {
				return;
			}
			this.lease = null;
			cancel(this.deadline);
			this.quietUntilNanos = System.nanoTime() + this.settings.leaseTime().toNanos();
			scheduleStep(this.settings.leaseTime().toNanos());
		}
		this.settings.events().revoked(this, given.fencingToken(), "stepped down");
		release(given);
	}

	@Override
	public void close() {
		Lease given;
		synchronized (this.monitor) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			given = this.lease;
			this.lease = null;
			cancel(this.nextStep);
			cancel(this.deadline);
			this.monitor.notifyAll();
		}
		// Outside the monitor: unsubscribing may be a round trip to the backend.
		this.subscription.close();
		this.settings.onClosed().accept(this);
		if (given != null) {
			this.settings.events().revoked(this, given.fencingToken(), "left the group");
			release(given);
		}
	}

	/** A release notification: campaign now unless leading, stepping down or closed. */
	private void wake() {
		synchronized (this.monitor) {
			if (!this.closed && this.lease == null && System.nanoTime() - this.quietUntilNanos >= 0) {
				scheduleStep(0);
			}
		}
	}

	/** One step of the chain: campaign or renew, then schedule the next step. */
	private void step() {
		Lease held;
		synchronized (this.monitor) {
			if (this.closed) {
				return;
			}
			if (this.stepRunning) {
				this.stepAgain = true;
				return;
			}
			this.stepRunning = true;
			held = this.lease;
		}
		long nextDelay;
		try {
			nextDelay = (held != null) ? renew(held) : campaign();
		}
		catch (RuntimeException ex) {
			// A provider bug must not end the chain: treat it as backend trouble.
			nextDelay = this.trouble.failed(ex);
		}
		synchronized (this.monitor) {
			this.stepRunning = false;
			if (this.closed) {
				return;
			}
			if (this.stepAgain) {
				this.stepAgain = false;
				nextDelay = Math.min(nextDelay, 0);
			}
			scheduleStep(nextDelay);
		}
	}

	/** @return nanoseconds until the next step */
	private long campaign() {
		synchronized (this.monitor) {
			long quiet = this.quietUntilNanos - System.nanoTime();
			if (quiet > 0) {
				return quiet;
			}
		}
		long sent = System.nanoTime();
		Optional<Lease> granted;
		try {
			granted = this.settings.provider()
				.tryAcquire(new LeaseRequest(this.lockId, this.settings.nextOwner(), this.settings.leaseTime()));
		}
		catch (RuntimeException ex) {
			return this.trouble.failed(ex);
		}
		this.trouble.answered();
		if (granted.isEmpty()) {
			return this.settings.pollNanos();
		}
		Lease lease = granted.get();
		synchronized (this.monitor) {
			if (this.closed || System.nanoTime() - this.quietUntilNanos < 0) {
				lease = null;
			}
			else {
				this.lease = granted.get();
				confirm(sent);
				this.monitor.notifyAll();
			}
		}
		if (lease == null) {
			release(granted.get());
			return this.settings.pollNanos();
		}
		logger.debug("Leading group '{}' with term {}", this.group, lease.fencingToken());
		this.settings.events().granted(this, lease.fencingToken());
		return this.settings.renewNanos();
	}

	/** @return nanoseconds until the next step */
	private long renew(Lease held) {
		long sent = System.nanoTime();
		boolean stillHeld;
		try {
			stillHeld = this.settings.provider().extend(held, this.settings.leaseTime());
		}
		catch (RuntimeException ex) {
			long retry = this.trouble.failed(ex);
			if (this.settings.sessionScoped()) {
				// A session we cannot reach may be dropped by the backend at any moment, and then
				// another instance is granted at once: stop leading now, not at the deadline.
				revoke(held, "lease lost: renewal failed (" + ex.getMessage() + ")");
				release(held);
				return retry;
			}
			return Math.min(retry, this.settings.renewNanos() / 3);
		}
		this.trouble.answered();
		if (!stillHeld) {
			revoke(held, "lease lost: the backend no longer holds it");
			return 0;
		}
		boolean current;
		synchronized (this.monitor) {
			current = (this.lease == held);
			if (current) {
				confirm(sent);
			}
		}
		if (!current) {
			// Revoked locally (deadline passed) while the renewal was in flight: give the lock back.
			release(held);
			return 0;
		}
		return this.settings.renewNanos();
	}

	/** Leadership is confirmed until the lease's end as measured from when the request was sent. */
	private void confirm(long sentNanos) {
		this.confirmedUntilNanos = sentNanos + this.settings.trustedNanos();
		cancel(this.deadline);
		Lease held = this.lease;
		long delay = Math.max(0, this.confirmedUntilNanos - System.nanoTime());
		this.deadline = this.settings.scheduler()
			.schedule(() -> revoke(held, "lease lost: no renewal confirmed before it ran out"), delay,
					TimeUnit.NANOSECONDS);
	}

	/** Ends the term of the given lease locally, if it is still the current one. */
	private void revoke(@Nullable Lease expected, String reason) {
		synchronized (this.monitor) {
			if (expected == null || this.lease != expected || this.closed) {
				return;
			}
			this.lease = null;
			cancel(this.deadline);
			scheduleStep(0);
		}
		logger.warn("Lost leadership of group '{}' (term {}): {}", this.group, expected.fencingToken(), reason);
		this.settings.events().revoked(this, expected.fencingToken(), reason);
	}

	private boolean leading() {
		return this.lease != null && !this.closed && System.nanoTime() - this.confirmedUntilNanos < 0;
	}

	private void release(Lease given) {
		try {
			this.settings.provider().release(given);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not release leadership of group '{}' (term {}); it ends with its lease: {}",
					this.group, given.fencingToken(), ex.getMessage());
		}
	}

	/** Replaces the pending step by one after the delay (guarded by the monitor). */
	private void scheduleStep(long delayNanos) {
		cancel(this.nextStep);
		this.nextStep = this.settings.scheduler().schedule(this::step, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
	}

	private static void cancel(@Nullable ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

}
