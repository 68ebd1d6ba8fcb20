package dev.distlock.jdbc.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.jdbc.session.LockConnectionFactory;
import dev.distlock.spi.ReleaseSubscription;

/**
 * One {@code LISTEN distlock_release} connection per provider, shared by all local waiters: a
 * release notifies the channel with the advisory key (in the release statement itself), and the
 * listener thread wakes the waiters registered for that key.
 *
 * <p>The connection and its thread start with the first waiter and stay; a dropped connection is
 * reopened after a second. Delivery is best effort: after every (re)subscription all registered
 * waiters are woken, since a release may have been missed meanwhile; a lock freed by a session drop
 * (a crashed holder) notifies nobody, and the engine's slow poll finds it.
 *
 * <p>Listeners run on the listener thread, so they must be quick and must not block (the engine's
 * listener releases a semaphore).
 */
public final class ReleaseNotifications implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ReleaseNotifications.class);

	/** How long one wait for notifications blocks; also bounds how long {@link #close()} waits. */
	private static final int RECEIVE_TIMEOUT_MILLIS = 250;

	private static final long RECONNECT_PAUSE_MILLIS = TimeUnit.SECONDS.toMillis(1);

	private final LockConnectionFactory connectionFactory;

	private final String listenSql;

	private final String applicationName;

	private final Map<Long, List<Runnable>> listeners = new ConcurrentHashMap<>();

	private final ReentrantLock lock = new ReentrantLock();

	private @Nullable Thread listener; // guarded by lock

	private volatile boolean closed;

	private volatile boolean listening;

	/**
	 * @param connectionFactory opens the listen connection (never a pooled one: it stays open)
	 * @param listenSql the statement that subscribes it
	 * @param applicationName the session's name in {@code pg_stat_activity}
	 */
	public ReleaseNotifications(LockConnectionFactory connectionFactory, String listenSql, String applicationName) {
		this.connectionFactory = connectionFactory;
		this.listenSql = listenSql;
		this.applicationName = applicationName;
	}

	/** Calls the listener whenever a release of the advisory key is notified. */
	public ReleaseSubscription register(long key, Runnable listener) {
		this.listeners.computeIfAbsent(key, (k) -> new CopyOnWriteArrayList<>()).add(listener);
		startUnlessStarted();
		return () -> this.listeners.computeIfPresent(key, (k, registered) -> {
			registered.remove(listener);
			return registered.isEmpty() ? null : registered;
		});
	}

	/** Whether the listen connection is subscribed right now. */
	public boolean isListening() {
		return this.listening;
	}

	private void startUnlessStarted() {
		this.lock.lock();
		try {
			if (this.listener == null && !this.closed) {
				Thread thread = new Thread(this::listen, "distlock-postgres-notifications-" + this.applicationName);
				thread.setDaemon(true);
				thread.start();
				this.listener = thread;
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void listen() {
		while (!this.closed) {
			try (Connection connection = this.connectionFactory.openConnection()) {
				connection.setAutoCommit(true);
				connection.setClientInfo("ApplicationName", this.applicationName);
				try (Statement statement = connection.createStatement()) {
					statement.execute(this.listenSql);
				}
				PGConnection notifications;
				try {
					notifications = connection.unwrap(PGConnection.class);
				}
				catch (SQLException ex) {
					// A driver or wrapper that hides PgJDBC: retrying cannot help.
					logger.warn("The listen connection is no PgJDBC PGConnection, so PostgreSQL release notifications "
							+ "are off and waiters poll: {}", ex.toString());
					return;
				}
				this.listening = true;
				// Releases between a waiter's registration and now reached nobody: let every waiter try again.
				wakeAll();
				while (!this.closed) {
					PGNotification[] received = notifications.getNotifications(RECEIVE_TIMEOUT_MILLIS);
					if (received != null) {
						for (PGNotification notification : received) {
							dispatch(notification.getParameter());
						}
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				this.listening = false;
				if (!this.closed) {
					logger.warn("PostgreSQL release notifications are interrupted; waiters poll until the listen "
							+ "connection is back: {}", ex.toString());
					pause();
				}
			}
			finally {
				this.listening = false;
			}
		}
	}

	private void dispatch(String payload) {
		long key;
		try {
			key = Long.parseLong(payload);
		}
		catch (NumberFormatException ex) {
			logger.debug("Ignoring a notification on the release channel that is no advisory key: '{}'", payload);
			return;
		}
		List<Runnable> waiting = this.listeners.get(key);
		if (waiting != null) {
			waiting.forEach(ReleaseNotifications::runQuietly);
		}
	}

	private void wakeAll() {
		this.listeners.values().forEach((waiting) -> waiting.forEach(ReleaseNotifications::runQuietly));
	}

	private static void runQuietly(Runnable listener) {
		try {
			listener.run();
		}
		catch (RuntimeException ex) {
			logger.warn("A PostgreSQL release listener failed", ex);
		}
	}

	private void pause() {
		try {
			Thread.sleep(RECONNECT_PAUSE_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.closed = true;
		}
	}

	/** Stops the listener thread and closes its connection, waiting for both at most a second. */
	@Override
	public void close() {
		Thread thread;
		this.lock.lock();
		try {
			this.closed = true;
			thread = this.listener;
		}
		finally {
			this.lock.unlock();
		}
		this.listeners.clear();
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(RECONNECT_PAUSE_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
