package dev.distlock.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.spi.Lease;
import dev.distlock.spi.LockProvider;

/**
 * The one scheduler that renews every held lease whose request asked for auto-renewal, shared by all
 * engines of an application. A renewal is due every {@code leaseTime / 3}; leases due within half an
 * interval of each other are renewed together, in one {@link LockProvider#extendAll} call per
 * provider. A refused renewal, or one that cannot be confirmed before the lease runs out, marks the
 * lease lost. The thread is a daemon and stops on {@link #close()}.
 */
public final class LeaseWatchdog implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(LeaseWatchdog.class);

	private static final AtomicInteger instances = new AtomicInteger();

	private final ScheduledThreadPoolExecutor scheduler;

	private final Clock clock;

	private final Set<Grant> renewing = ConcurrentHashMap.newKeySet();

	private @Nullable ScheduledFuture<?> pendingWake; // guarded by this

	private long pendingWakeNanos; // guarded by this

	public LeaseWatchdog(Clock clock) {
		this.clock = clock;
		String name = "distlock-watchdog-" + instances.incrementAndGet();
		this.scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
	}

	public LeaseWatchdog() {
		this(Clock.systemUTC());
	}

	void register(Grant grant) {
		// Counted from the start of the granting round trip, not from now: the local lease started
		// there, and a slow grant (a cold connection) may already have used up part of it.
		grant.nextRenewalNanos = grant.confirmedAtNanos() + grant.renewalIntervalNanos();
		this.renewing.add(grant);
		wakeAt(grant.nextRenewalNanos);
	}

	void unregister(Grant grant) {
		this.renewing.remove(grant);
	}

	/** A renewal outside the watchdog ({@code LockHandle.extend}) was confirmed: the next one is due an interval later. */
	void rescheduled(Grant grant) {
		if (this.renewing.contains(grant)) {
			grant.nextRenewalNanos = System.nanoTime() + grant.renewalIntervalNanos();
			wakeAt(grant.nextRenewalNanos);
		}
	}

	/**
	 * Runs a task on the watchdog thread after a delay (lease ends, deferred releases).
	 * @return the pending task, which a cancel removes from the queue; {@code null} once stopped
	 */
	@Nullable ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
		try {
			return this.scheduler.schedule(() -> runSafely(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Shutting down: the providers close next, and closing their sessions ends session-held
			// locks; TTL leases end by themselves.
			logger.debug("Watchdog is stopped; dropped a deferred task");
			return null;
		}
	}

	/** How many leases are being renewed. */
	public int renewingCount() {
		return this.renewing.size();
	}

	/** Makes sure the renewal pass runs at or before the given time; one pass is pending at most. */
	private synchronized void wakeAt(long atNanos) {
		if (this.pendingWake != null && this.pendingWakeNanos - atNanos <= 0) {
			return;
		}
		if (this.pendingWake != null) {
			this.pendingWake.cancel(false);
		}
		if (!this.scheduler.isShutdown()) {
			this.pendingWakeNanos = atNanos;
			this.pendingWake = this.scheduler.schedule(() -> runSafely(this::renewDue),
					Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
	}

	private void renewDue() {
		synchronized (this) {
			this.pendingWake = null;
		}
		long now = System.nanoTime();
		Map<LockProvider, List<Grant>> dueByProvider = new IdentityHashMap<>();
		for (Grant grant : this.renewing) {
			if (grant.nextRenewalNanos - now <= grant.renewalIntervalNanos() / 2) {
				dueByProvider.computeIfAbsent(grant.lifecycle().provider(), (p) -> new ArrayList<>()).add(grant);
			}
		}
		try {
			dueByProvider.forEach(this::renew);
		}
		finally {
			// Whatever happened in this pass, the next one must be scheduled, or no lease is renewed again.
			this.renewing.stream().mapToLong((grant) -> grant.nextRenewalNanos)
				.reduce((a, b) -> (a - b <= 0) ? a : b)
				.ifPresent(this::wakeAt);
		}
	}

	private void renew(LockProvider provider, List<Grant> due) {
		long start = System.nanoTime();
		Instant startAt = this.clock.instant();
		Map<Lease, Grant> byLease = new LinkedHashMap<>();
		for (Grant grant : due) {
			if (grant.isLocallyExpired(start)) {
				lost(grant, "lease time " + grant.leaseTime() + " passed before it could be renewed");
			}
			else {
				byLease.put(grant.lease(), grant);
			}
		}
		if (byLease.isEmpty()) {
			return;
		}
		Set<Lease> held;
		try {
			held = provider.extendAll(byLease.keySet());
		}
		catch (RuntimeException ex) {
			retryOrGiveUp(byLease.values(), ex);
			return;
		}
		for (Map.Entry<Lease, Grant> entry : byLease.entrySet()) {
			Grant grant = entry.getValue();
			if (held.contains(entry.getKey()) && grant.isEnded()) {
				grant.lifecycle().renewedAfterEnd(grant);
			}
			else if (held.contains(entry.getKey())) {
				grant.confirmed(start, startAt, entry.getKey().leaseTime());
				grant.lifecycle().observer().renewed(provider.id(), grant.origin());
				reschedule(grant, start + grant.renewalIntervalNanos());
			}
			else {
				refused(grant, "the backend refused the renewal: the lease is no longer held by this owner");
			}
		}
	}

	private void retryOrGiveUp(Iterable<Grant> grants, RuntimeException error) {
		long now = System.nanoTime();
		for (Grant grant : grants) {
			if (grant.isLocallyExpired(now)) {
				lost(grant, "renewals failed until the lease ran out: " + error.getMessage());
			}
			else {
				logger.warn("Renewing the lease on lock '{}' failed; retrying: {}", grant.lockId(), error.toString());
				// Retry soon, a few times before the lease can run out.
				reschedule(grant, now + Math.max(TimeUnit.MILLISECONDS.toNanos(10), grant.renewalIntervalNanos() / 4));
			}
		}
	}

	private void reschedule(Grant grant, long atNanos) {
		grant.nextRenewalNanos = atNanos;
	}

	/** Its lease ran out unconfirmed: the backend may still hold it for its owner. */
	private void lost(Grant grant, String reason) {
		this.renewing.remove(grant);
		grant.lifecycle().leaseLost(grant, reason);
	}

	/** The backend said it no longer holds the lease for its owner. */
	private void refused(Grant grant, String reason) {
		this.renewing.remove(grant);
		grant.lifecycle().leaseRefused(grant, reason);
	}

	private static void runSafely(Runnable task) {
		try {
			task.run();
		}
		catch (Throwable ex) {
			logger.error("distlock watchdog task failed", ex);
		}
	}

	@Override
	public void close() {
		this.renewing.clear();
		this.scheduler.shutdownNow();
	}

}
