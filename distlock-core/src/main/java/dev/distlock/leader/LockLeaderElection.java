package dev.distlock.leader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

import dev.distlock.LeaderElection;
import dev.distlock.Leadership;
import dev.distlock.LeadershipGrantedEvent;
import dev.distlock.LeadershipRevokedEvent;
import dev.distlock.spi.LockProvider;

/**
 * {@link LeaderElection} on a {@link LockProvider}: each group is a lock {@code leader:<group>}
 * whose fencing token is the term. All groups share two scheduler threads, so campaigning costs no
 * thread per group; release notifications (where the provider has them) start the next campaign
 * at once after a leader lets go.
 *
 * <p>As a {@link SmartLifecycle} in the first shutdown phase it gives up every leadership before
 * schedulers, web servers and held locks are stopped, so the next leader takes over at once.
 */
public final class LockLeaderElection implements LeaderElection, SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(LockLeaderElection.class);

	/** Stops first on shutdown (the highest phase stops first). */
	public static final int PHASE = Integer.MAX_VALUE;

	/** The default of {@code distlock.leader.lease-time}. */
	public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(10);

	private final String instanceId;

	private final ApplicationEventPublisher publisher;

	private final ScheduledThreadPoolExecutor scheduler;

	private final CampaignSettings settings;

	private final Map<String, Candidate> candidates = new LinkedHashMap<>();

	private volatile boolean running;

	/**
	 * @param provider the provider of the groups' locks
	 * @param instanceId this instance's id ({@code distlock.instance-id})
	 * @param leaseTime the lease of a group's lock ({@code distlock.leader.lease-time})
	 * @param publisher where {@link LeadershipGrantedEvent}s and {@link LeadershipRevokedEvent}s go
	 */
	public LockLeaderElection(LockProvider provider, String instanceId, Duration leaseTime,
			ApplicationEventPublisher publisher) {
		if (leaseTime.isZero() || leaseTime.isNegative()) {
			throw new IllegalArgumentException("distlock.leader.lease-time must be positive, was " + leaseTime);
		}
		this.instanceId = instanceId;
		this.publisher = publisher;
		AtomicInteger threads = new AtomicInteger();
		this.scheduler = new ScheduledThreadPoolExecutor(2, (task) -> {
			Thread thread = new Thread(task, "distlock-leader-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.settings = new CampaignSettings(provider, this.scheduler, instanceId, leaseTime, new Publishing(),
				this::forget);
	}

	@Override
	public Leadership join(String group) {
		if (group == null || group.isBlank()) {
			throw new IllegalArgumentException("A leader-election group must not be blank");
		}
		Candidate candidate;
		synchronized (this.candidates) {
			if (this.scheduler.isShutdown()) {
				throw new IllegalStateException("Leader election has been shut down; cannot join '" + group + "'");
			}
			Candidate existing = this.candidates.get(group);
			if (existing != null) {
				return existing;
			}
			candidate = new Candidate(group, this.settings);
			this.candidates.put(group, candidate);
		}
		candidate.start();
		return candidate;
	}

	@Override
	public List<Leadership> joined() {
		synchronized (this.candidates) {
			return List.copyOf(this.candidates.values());
		}
	}

	/** The group's membership if this instance joined it and has not closed it. */
	public @Nullable Leadership joined(String group) {
		synchronized (this.candidates) {
			return this.candidates.get(group);
		}
	}

	/** Groups whose backend did not answer the last attempt, with the failure: for health. */
	public Map<String, String> unreachableGroups() {
		Map<String, String> problems = new LinkedHashMap<>();
		for (Leadership leadership : joined()) {
			String problem = ((Candidate) leadership).backendProblem();
			if (problem != null) {
				problems.put(leadership.group(), problem);
			}
		}
		return problems;
	}

	/** The lease of the groups' locks. */
	public Duration leaseTime() {
		return this.settings.leaseTime();
	}

	private void forget(Candidate candidate) {
		synchronized (this.candidates) {
			this.candidates.remove(candidate.group(), candidate);
		}
	}

	@Override
	public void start() {
		this.running = true;
	}

	/** Leaves every group (releasing leadership) and stops the scheduler. */
	@Override
	public void stop() {
		List<Leadership> members = new ArrayList<>(joined());
		members.forEach(Leadership::close);
		this.scheduler.shutdown();
		try {
			this.scheduler.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private final class Publishing implements LeadershipEvents {

		@Override
		public void granted(Candidate candidate, long term) {
			publish(new LeadershipGrantedEvent(LockLeaderElection.this, candidate.group(), term,
					LockLeaderElection.this.instanceId));
		}

		@Override
		public void revoked(Candidate candidate, long term, String reason) {
			publish(new LeadershipRevokedEvent(LockLeaderElection.this, candidate.group(), term, reason));
		}

		/** A failing listener must not break the campaign or be mistaken for backend trouble. */
		private void publish(Object event) {
			try {
				LockLeaderElection.this.publisher.publishEvent(event);
			}
			catch (RuntimeException ex) {
				logger.warn("A listener of {} failed", event, ex);
			}
		}

	}

}
