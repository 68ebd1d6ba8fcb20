package dev.distlock.jdbc.table;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.spi.ReleaseSubscription;

/**
 * Wakes the local waiters of a lock when its holder's lease expires: an expired lease is not
 * released, so it notifies nobody. One timer per waited-for lock key, shared by its local waiters,
 * fires when the lease read from the row ends, by the database's clock; it reads the row again then
 * (the holder may have renewed) and wakes the waiters only once the lease has ended or the row is
 * free, else it waits for the new expiry. The first look is {@value #FIRST_LOOK_MILLIS} ms after the
 * first waiter came; after a wake it looks again a little later, in case another instance won the
 * lock meanwhile.
 *
 * <p>One daemon thread, started with the first waiter, ends on {@link #close()}. Reading the row
 * is best effort: when it fails, the next look is a second later and the engine's slow poll covers
 * the gap.
 */
final class ExpiryWakeups implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ExpiryWakeups.class);

	/**
	 * When to look at the row first: most waits end sooner, by a release, and the engine polls often
	 * in the first tens of milliseconds anyway, so short waits cost the database nothing extra.
	 */
	private static final long FIRST_LOOK_MILLIS = 50;

	/** After waking the waiters, when to look at the row again (someone else may have won it). */
	private static final long AFTER_WAKE_MILLIS = 100;

	/** After the row could not be read. */
	private static final long AFTER_FAILURE_MILLIS = 1000;

	private final Function<String, OptionalLong> millisLeft;

	private final String threadName;

	private final Map<String, Watch> watches = new ConcurrentHashMap<>();

	private @Nullable ScheduledExecutorService timer; // guarded by this

	private boolean closed; // guarded by this

	/**
	 * @param millisLeft for a lock key, the milliseconds its holder's lease has left by the database's
	 * clock (0 or less once expired), empty when the lock is free; may throw
	 * @param threadName the timer thread's name
	 */
	ExpiryWakeups(Function<String, OptionalLong> millisLeft, String threadName) {
		this.millisLeft = millisLeft;
		this.threadName = threadName;
	}

	/** Calls the listener when the current holder's lease of the lock key ends unreleased. */
	ReleaseSubscription register(String lockKey, Runnable listener) {
		Watch started = new Watch(lockKey);
		Watch watch = this.watches.compute(lockKey, (key, existing) -> {
			Watch current = (existing != null) ? existing : started;
			current.listeners.add(listener);
			return current;
		});
		if (watch == started) {
			schedule(watch, FIRST_LOOK_MILLIS);
		}
		return () -> this.watches.computeIfPresent(lockKey, (key, current) -> {
			current.listeners.remove(listener);
			return current.listeners.isEmpty() ? null : current;
		});
	}

	/** Whether a local waiter waits for the lock key. */
	boolean isWatched(String lockKey) {
		return this.watches.containsKey(lockKey);
	}

	/** Whether the timer thread runs (for tests). */
	synchronized boolean isRunning() {
		return this.timer != null && !this.timer.isTerminated();
	}

	private synchronized void schedule(Watch watch, long delayMillis) {
		if (this.closed) {
			return;
		}
		if (this.timer == null) {
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, this.threadName);
				thread.setDaemon(true);
				return thread;
			});
			executor.setRemoveOnCancelPolicy(true);
			this.timer = executor;
		}
		this.timer.schedule(() -> look(watch), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
	}

	/** Reads the lease of a watched key and wakes its waiters or waits for its expiry. */
	private void look(Watch watch) {
		if (this.watches.get(watch.lockKey) != watch) {
			return; // nobody waits any more
		}
		OptionalLong left;
		try {
			left = this.millisLeft.apply(watch.lockKey);
		}
		catch (RuntimeException ex) {
			logger.debug("Reading the lease of lock key {} failed; looking again in a second: {}", watch.lockKey,
					ex.toString());
			schedule(watch, AFTER_FAILURE_MILLIS);
			return;
		}
		if (left.isPresent() && left.getAsLong() > 0) {
			// The lease ends after expires_at: the grant's condition is expires_at <= now.
			schedule(watch, left.getAsLong());
			return;
		}
		watch.listeners.forEach(ExpiryWakeups::runQuietly);
		schedule(watch, AFTER_WAKE_MILLIS);
	}

	private static void runQuietly(Runnable listener) {
		try {
			listener.run();
		}
		catch (RuntimeException ex) {
			logger.warn("A lease-expiry listener failed", ex);
		}
	}

	/** Stops the timer thread, waiting at most a second for it. */
	@Override
	public void close() {
		ScheduledExecutorService executor;
		synchronized (this) {
			this.closed = true;
			executor = this.timer;
		}
		this.watches.clear();
		if (executor != null) {
			executor.shutdownNow();
			try {
				executor.awaitTermination(1, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** The local waiters of one lock key. */
	private static final class Watch {

		final String lockKey;

		final List<Runnable> listeners = new CopyOnWriteArrayList<>();

		Watch(String lockKey) {
			this.lockKey = lockKey;
		}

	}

}
