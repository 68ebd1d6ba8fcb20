package dev.distlock.jdbc.session;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.LockBackendException;
import dev.distlock.spi.LeaseRequest;

/**
 * One dedicated lock connection: the physical connection (opened on first use, replaced when it
 * drops, closed with the provider), the lock attempt on it, and which owner holds which key on its
 * session.
 *
 * <p>The bookkeeping and the statement that changes the session's locks must happen together, so
 * the only way in is {@link #execute}: it holds this connection's lock for the whole work and hands
 * the work a {@link Session}, whose methods refuse to run on a thread that does not hold it.
 *
 * @param <K> the database's lock key type
 */
final class LockConnection<K> {

	private static final Logger logger = LoggerFactory.getLogger(LockConnection.class);

	private final int index;

	private final LockConnectionFactory factory;

	private final Duration networkTimeout;

	private final SessionDialect<K> dialect;

	private final Supplier<String> providerId;

	private final ReentrantLock lock = new ReentrantLock();

	private final Session session = new Session();

	private final Map<K, SessionHold> holds = new HashMap<>();

	// Written under the lock; volatile so that a provider choosing a connection may peek without it.
	private volatile @Nullable Connection connection;

	private long sessionId;

	private boolean closed;

	/**
	 * @param index this connection's number among its provider's, for messages
	 * @param factory opens the physical connection
	 * @param networkTimeout how long one call may block on the network before the connection counts as dropped
	 * @param dialect checks and prepares the connection when it opens, and takes locks on it
	 * @param providerId the provider's id, for messages
	 */
	LockConnection(int index, LockConnectionFactory factory, Duration networkTimeout, SessionDialect<K> dialect,
			Supplier<String> providerId) {
		this.index = index;
		this.factory = factory;
		this.networkTimeout = networkTimeout;
		this.dialect = dialect;
		this.providerId = providerId;
	}

	/** Runs the work with this connection to itself; other callers of this connection wait. */
	<T> T execute(Function<? super Session, ? extends T> work) {
		this.lock.lock();
		try {
			return work.apply(this.session);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether a physical connection is open (a peek: it may change at once). */
	boolean isOpen() {
		return this.connection != null;
	}

	/** Whether no caller is using the connection right now (a peek: it may change at once). */
	boolean isIdle() {
		return !this.lock.isLocked();
	}

	/** Closes the connection for good: the server ends the session and releases its locks at once. */
	void close() {
		execute((session) -> {
			this.closed = true;
			Connection open = this.connection;
			this.connection = null;
			this.holds.clear();
			if (open != null) {
				closeQuietly(open);
			}
			return null;
		});
	}

	private String describe() {
		return this.dialect.databaseName() + " lock connection " + this.index + " of the '" + this.providerId.get()
				+ "' lock provider";
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// Already unusable; the server ends the session when it notices.
		}
	}

	/**
	 * The lock connection as seen by work that holds it: only valid inside {@link LockConnection#execute}.
	 */
	final class Session {

		private Session() {
		}

		/** This connection's number among its provider's. */
		int index() {
			return LockConnection.this.index;
		}

		/**
		 * The open connection, opening and preparing one first if there is none.
		 * @throws LockBackendException if it cannot be opened or prepared, or the provider is closed
		 */
		Connection connect() {
			checkHeld();
			if (LockConnection.this.closed) {
				throw new LockBackendException(describe() + " is closed");
			}
			Connection current = LockConnection.this.connection;
			return (current != null) ? current : open();
		}

		/** The open connection, or {@code null} if it dropped and was not replaced yet. */
		@Nullable Connection current() {
			checkHeld();
			return LockConnection.this.connection;
		}

		/** The server's id of the current session (backend pid, connection id). */
		long sessionId() {
			checkHeld();
			return LockConnection.this.sessionId;
		}

		/** Who holds the key on this session, or {@code null} if nobody does. */
		@Nullable SessionHold holder(K key) {
			checkHeld();
			return LockConnection.this.holds.get(key);
		}

		void hold(K key, SessionHold hold) {
			checkHeld();
			LockConnection.this.holds.put(key, hold);
		}

		void forget(K key) {
			checkHeld();
			LockConnection.this.holds.remove(key);
		}

		/**
		 * One attempt to lock the key on the session, which does not hold it yet. A connection found
		 * broken is replaced and the attempt made once more (a fresh session holds nothing, so that
		 * cannot grant twice); a statement that failed otherwise is undone.
		 * @return the fencing token if granted
		 * @throws LockBackendException if the attempt failed
		 */
		OptionalLong lock(K key, LeaseRequest request) {
			boolean retried = false;
			while (true) {
				Connection connection = connect();
				try {
					return LockConnection.this.dialect.tryLock(connection, key, request);
				}
				catch (SQLException ex) {
					if (isBroken(connection)) {
						drop(ex);
						if (!retried) {
							retried = true;
							continue;
						}
					}
					else {
						undoPartialLock(connection, key, request.lockId());
					}
					throw new LockBackendException("Acquiring lock '" + request.lockId() + "' on "
							+ LockConnection.this.dialect.databaseName() + " failed: "
							+ LockConnection.this.dialect.describe(ex), ex);
				}
			}
		}

		/** A statement that failed after taking the key must not leave it held with nobody tracking it. */
		private void undoPartialLock(Connection connection, K key, String lockId) {
			try {
				LockConnection.this.dialect.unlock(connection, key);
			}
			catch (SQLException ex) {
				logger.warn("Could not undo a failed attempt on lock '{}'; closing {} so the server releases "
						+ "whatever it holds", lockId, describe());
				drop(ex);
			}
		}

		/** Whether the connection is closed or no longer answers. */
		boolean isBroken(Connection connection) {
			checkHeld();
			int seconds = (int) Math.max(1, Math.min(5, LockConnection.this.networkTimeout.toSeconds()));
			try {
				return connection.isClosed() || !connection.isValid(seconds);
			}
			catch (SQLException ex) {
				return true;
			}
		}

		/**
		 * Drops the connection: the server ends the session and with it every lock it held, so every
		 * hold is forgotten. The next {@link #connect()} opens a new one.
		 */
		void drop(@Nullable SQLException cause) {
			checkHeld();
			Connection dropped = LockConnection.this.connection;
			LockConnection.this.connection = null;
			int lost = LockConnection.this.holds.size();
			LockConnection.this.holds.clear();
			if (dropped != null) {
				try {
					// abort, not close: a dropped network would make close() wait for a goodbye nobody reads.
					dropped.abort(Runnable::run);
				}
				catch (SQLException | RuntimeException ex) {
					closeQuietly(dropped);
				}
			}
			logger.warn("{} dropped{}; {} lock(s) held on it are lost", describe(),
					(cause != null) ? " (" + cause.getMessage() + ")" : "", lost);
		}

		/** Opens a replacement now if the database lets it, else leaves that to the next use. */
		void reconnectQuietly() {
			try {
				connect();
			}
			catch (LockBackendException ex) {
				logger.warn("Could not replace {} yet; retrying on next use: {}", describe(), ex.getMessage());
			}
		}

		private Connection open() {
			Connection opened;
			try {
				opened = LockConnection.this.factory.openConnection();
			}
			catch (SQLException ex) {
				throw new LockBackendException("Cannot open " + describe() + ": " + ex.getMessage(), ex);
			}
			try {
				opened.setAutoCommit(true);
				opened.setNetworkTimeout(Runnable::run, (int) LockConnection.this.networkTimeout.toMillis());
				LockConnection.this.dialect.checkProduct(LockConnection.this.providerId.get(),
						opened.getMetaData().getDatabaseProductName(), "its lock connection");
				long id = LockConnection.this.dialect.openSession(opened);
				LockConnection.this.connection = opened;
				LockConnection.this.sessionId = id;
				logger.debug("Opened {} (session {})", describe(), id);
				return opened;
			}
			catch (SQLException ex) {
				closeQuietly(opened);
				throw new LockBackendException("Preparing " + describe() + " failed: "
						+ LockConnection.this.dialect.describe(ex), ex);
			}
			catch (RuntimeException ex) {
				closeQuietly(opened);
				throw ex;
			}
		}

		private void checkHeld() {
			if (!LockConnection.this.lock.isHeldByCurrentThread()) {
				throw new IllegalStateException(describe() + " used outside LockConnection.execute");
			}
		}

	}

}
