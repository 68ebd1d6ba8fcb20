package dev.distlock.jdbc.session;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels the server-side waits of interrupted threads. A thread blocked in a JDBC call does not
 * notice {@link Thread#interrupt()}, so while a provider waits in the database ({@code GET_LOCK} with a
 * timeout, {@code pg_advisory_lock} under {@code lock_timeout}) it registers the statement here, and
 * one daemon thread per provider (started with the first wait) looks every {@value #CHECK_MILLIS} ms
 * while waits are registered, else every {@value #IDLE_CHECK_MILLIS} ms, whether a waiting thread was
 * interrupted (so a cancel follows an interrupt within about {@value #IDLE_CHECK_MILLIS} ms); if so it
 * calls {@link Statement#cancel()}
 * (MariaDB Connector/J: {@code KILL QUERY} on a new connection; PgJDBC: a cancel request), which
 * ends the wait on the server at once.
 *
 * <p>A cancel is sent only while the watch is open, and closing the watch waits for a cancel in
 * flight; whoever sees {@link Watch#end()} return {@code true} must not trust the session any more
 * (the wait may have been granted just before the cancel, or the cancel may reach the next
 * statement): the provider drops the connection, and the server frees whatever it held.
 */
final class WaitCanceller implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(WaitCanceller.class);

	static final long CHECK_MILLIS = 10;

	/** How often the checker looks for new waits while none is registered. */
	static final long IDLE_CHECK_MILLIS = 100;

	private final String name;

	private final Set<Watch> watches = ConcurrentHashMap.newKeySet();

	private final Object monitor = new Object();

	// Written under monitor; volatile for the unlocked peek in watch().
	private volatile @Nullable Thread checker;

	private boolean closed; // guarded by monitor

	/** @param name names the checker thread */
	WaitCanceller(String name) {
		this.name = name;
	}

	/** Watches the current thread while it runs the statement; end the watch as soon as it returns. */
	Watch watch(Statement statement) {
		Watch watch = new Watch(Thread.currentThread(), statement);
		this.watches.add(watch);
		// No wake-up of the checker: most waits end within a round trip (a free or just released lock),
		// and waking a thread for each would cost more than the wait. The checker finds new watches on
		// its next look.
		if (this.checker == null) {
			synchronized (this.monitor) {
				if (this.checker == null && !this.closed) {
					Thread thread = new Thread(this::check, "distlock-wait-canceller-" + this.name);
					thread.setDaemon(true);
					thread.start();
					this.checker = thread;
				}
			}
		}
		return watch;
	}

	private void check() {
		while (true) {
			synchronized (this.monitor) {
				if (this.closed) {
					return;
				}
				try {
					this.monitor.wait(this.watches.isEmpty() ? IDLE_CHECK_MILLIS : CHECK_MILLIS);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
			for (Watch watch : this.watches) {
				if (watch.thread.isInterrupted()) {
					watch.cancel();
				}
			}
		}
	}

	/** Stops the checker thread; waits still registered are no longer cancelled. */
	@Override
	public void close() {
		synchronized (this.monitor) {
			this.closed = true;
			this.monitor.notifyAll();
		}
	}

	/** One watched statement. */
	final class Watch {

		private final Thread thread;

		private final Statement statement;

		private boolean open = true; // guarded by this

		private boolean cancelled; // guarded by this

		private Watch(Thread thread, Statement statement) {
			this.thread = thread;
			this.statement = statement;
		}

		private synchronized void cancel() {
			if (!this.open || this.cancelled) {
				return;
			}
			this.cancelled = true;
			try {
				this.statement.cancel();
			}
			catch (SQLException | RuntimeException ex) {
				logger.warn("Cancelling the wait of interrupted thread {} failed: {}", this.thread.getName(), ex.toString());
			}
		}

		/**
		 * Ends the watch, waiting for a cancel in flight.
		 * @return whether the statement was cancelled (or a cancel was attempted)
		 */
		boolean end() {
			WaitCanceller.this.watches.remove(this);
			synchronized (this) {
				this.open = false;
				return this.cancelled;
			}
		}

	}

}
