package dev.distlock.aop.scheduling;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.spi.Lease;
import dev.distlock.spi.LockProvider;

/**
 * Claims held on session-scoped backends, which have no TTL: each is released when its window has
 * passed, and on shutdown the instance waits until every window has passed before it releases the
 * rest, so a claim never ends early because its claimer stopped. A claimer that crashes loses its
 * claims with its session at once.
 */
final class SessionClaims {

	private static final Logger logger = LoggerFactory.getLogger(SessionClaims.class);

	private final Map<Lease, Held> held = new ConcurrentHashMap<>();

	private @Nullable ScheduledThreadPoolExecutor releases;

	/** Keeps the claim until {@code window} from now, then releases it. */
	synchronized void hold(LockProvider provider, Lease claim, Duration window) {
		long releaseAt = System.nanoTime() + window.toNanos();
		this.held.put(claim, new Held(provider, releaseAt));
		releases().schedule(() -> release(claim), window.toNanos(), TimeUnit.NANOSECONDS);
	}

	/** Waits until the last claim's window has passed (bounded by that window), then releases all. */
	void drain() {
		long last = this.held.values().stream().mapToLong(Held::releaseAtNanos).max().orElse(System.nanoTime());
		long remaining = last - System.nanoTime();
		if (remaining > 0) {
			logger.debug("Waiting {} ms for {} slot claim(s) to pass their window", remaining / 1_000_000,
					this.held.size());
			try {
				TimeUnit.NANOSECONDS.sleep(remaining);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.held.keySet().forEach(this::release);
		synchronized (this) {
			if (this.releases != null) {
				this.releases.shutdownNow();
				this.releases = null;
			}
		}
	}

	private void release(Lease claim) {
		Held claimHolder = this.held.remove(claim);
		if (claimHolder == null) {
			return;
		}
		try {
			claimHolder.provider().release(claim);
		}
		catch (RuntimeException ex) {
			logger.warn("Releasing slot claim '{}' failed; it ends with its session: {}", claim.lockId(), ex.toString());
		}
	}

	private ScheduledThreadPoolExecutor releases() {
		if (this.releases == null) {
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, "distlock-slot-claims");
				thread.setDaemon(true);
				return thread;
			});
			executor.setRemoveOnCancelPolicy(true);
			this.releases = executor;
		}
		return this.releases;
	}

	private record Held(LockProvider provider, long releaseAtNanos) {
	}

}
