package dev.distlock.jdbc.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
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

	/**
	 * A grant that took at most this fraction of the lease time to wait for may count from the start of
	 * the wait (the local lease ends at most that much early); a longer wait is confirmed once more.
	 */
	private static final long SHORT_WAIT_FRACTION = 10;

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

	// Written under the lock; volatile so that close() can see it without waiting for a wait to end.
	private volatile boolean closed;

	/** Whether a caller is waiting for a key on the server (a peek for choosing connections). */
	private volatile boolean waiting;

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

	/**
	 * Runs the work with this connection set aside for a wait on the server, if it is free right now: no
	 * other caller uses it and its session holds no key (so that renewals and releases never queue behind
	 * the wait). While the work runs, {@link #isWaiting()} is true.
	 * @return the work's result, or {@code null} if the connection is busy, holds keys or is closed
	 */
	<T> @Nullable T executeSetAside(Function<? super Session, ? extends T> work) {
		if (!this.lock.tryLock()) {
			return null;
		}
		// Before anything else, so that callers choosing a connection never queue behind the wait.
		this.waiting = true;
		try {
			if (this.closed || !this.holds.isEmpty()) {
				return null;
			}
			return work.apply(this.session);
		}
		finally {
			this.waiting = false;
			this.lock.unlock();
		}
	}

	/** Whether a caller is waiting for a key on the server on this connection (a peek). */
	boolean isWaiting() {
		return this.waiting;
	}

	/** Whether a physical connection is open (a peek: it may change at once). */
	boolean isOpen() {
		return this.connection != null;
	}

	/** Whether no caller is using the connection right now (a peek: it may change at once). */
	boolean isIdle() {
		return !this.lock.isLocked();
	}

	/**
	 * Closes the connection for good: the server ends the session and releases its locks at once. A
	 * wait on the server is ended first, by aborting the connection under it.
	 */
	void close() {
		this.closed = true;
		Connection underWait = this.connection;
		if (this.waiting && underWait != null) {
			try {
				underWait.abort(Runnable::run);
			}
			catch (SQLException | RuntimeException ex) {
				closeQuietly(underWait);
			}
		}
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
	 * A key granted after a wait on the server.
	 * @param fencingToken the token drawn right after the grant
	 * @param confirmedNanos {@link System#nanoTime()} before the statement that drew it, when the
	 * session already held the key
	 */
	record AwaitedGrant(long fencingToken, long confirmedNanos) {
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

		/**
		 * Waits on the server, up to {@code maxWait}, until the session, which holds no key, is granted
		 * this one, then draws its fencing token. The connection's network timeout is stretched by the
		 * wait for the call. Whatever ends the wait early leaves nothing held or queued: an interrupt of
		 * the calling thread cancels the statement ({@link WaitCanceller}) and drops the connection (the
		 * server frees a grant that came just before the cancel); a failure after the grant undoes it.
		 * @return the grant, or {@code null} if the wait time ran out or the thread was interrupted (its
		 * interrupt flag stays set)
		 * @throws LockBackendException if the server or the connection failed
		 */
		@Nullable AwaitedGrant await(K key, LeaseRequest request, Duration maxWait, WaitCanceller canceller) {
			if (Thread.currentThread().isInterrupted()) {
				return null;
			}
			Connection connection = connect();
			SessionDialect<K> dialect = LockConnection.this.dialect;
			boolean granted;
			OptionalLong drawn = OptionalLong.empty();
			long startNanos = System.nanoTime();
			try {
				connection.setNetworkTimeout(Runnable::run, stretchedNetworkTimeoutMillis(maxWait));
				try (PreparedStatement statement = dialect.prepareAwait(connection, key, request, maxWait)) {
					WaitCanceller.Watch watch = canceller.watch(statement);
					SQLException failed = null;
					boolean answer = false;
					try (ResultSet row = statement.executeQuery()) {
						if (!row.next()) {
							throw new SQLException("No row from the wait statement");
						}
						answer = row.getBoolean(1);
						if (row.wasNull()) {
							throw new SQLException("The wait statement returned NULL (server error or killed query)");
						}
						if (answer) {
							drawn = dialect.awaitedToken(row);
						}
					}
					catch (SQLException ex) {
						failed = ex;
					}
					if (watch.end()) {
						// The cancel may have come just after a grant, or may hit the next statement:
						// the session goes, and the server frees whatever it holds. It held no other key.
						logger.debug("Wait for lock '{}' cancelled: the caller was interrupted; discarding {}",
								request.lockId(), describe());
						discard();
						return null;
					}
					if (failed != null && !dialect.isAwaitTimeout(failed)) {
						throw failed;
					}
					granted = (failed == null) && answer;
				}
				restoreNetworkTimeout(connection);
			}
			catch (SQLException ex) {
				throw awaitFailed(connection, key, request, ex);
			}
			if (!granted) {
				return null;
			}
			try {
				if (drawn.isEmpty()) {
					// The session holds the key from the grant until it is released or the session ends;
					// it is still alive when the next statement runs on it, so the grant counts from here.
					long confirmedNanos = System.nanoTime();
					return new AwaitedGrant(dialect.recordAwaitedGrant(connection, key, request), confirmedNanos);
				}
				// Granted and recorded in one statement: the grant counts from the start of the wait
				// (conservative), unless the wait took a noticeable part of the lease time; then one more
				// round trip proves the session still holds the key, and the grant counts from it.
				if (System.nanoTime() - startNanos <= request.leaseTime().toNanos() / SHORT_WAIT_FRACTION) {
					return new AwaitedGrant(drawn.getAsLong(), startNanos);
				}
				long confirmedNanos = System.nanoTime();
				if (!dialect.heldKeys(connection, LockConnection.this.sessionId, List.of(key)).contains(key)) {
					throw new SQLException("The session lost the key right after it was granted");
				}
				return new AwaitedGrant(drawn.getAsLong(), confirmedNanos);
			}
			catch (SQLException ex) {
				throw awaitFailed(connection, key, request, ex);
			}
		}

		private int stretchedNetworkTimeoutMillis(Duration maxWait) {
			long millis = LockConnection.this.networkTimeout.plus(maxWait).toMillis();
			return (int) Math.min(Integer.MAX_VALUE, millis);
		}

		private void restoreNetworkTimeout(Connection connection) throws SQLException {
			connection.setNetworkTimeout(Runnable::run, (int) LockConnection.this.networkTimeout.toMillis());
		}

		private LockBackendException awaitFailed(Connection connection, K key, LeaseRequest request, SQLException ex) {
			if (LockConnection.this.closed || isBroken(connection)) {
				drop(ex);
			}
			else {
				// Granted or not, the session must not keep the key with nobody tracking it.
				undoPartialLock(connection, key, request.lockId());
				if (LockConnection.this.connection == connection) {
					try {
						restoreNetworkTimeout(connection);
					}
					catch (SQLException again) {
						drop(again);
					}
				}
			}
			return new LockBackendException("Waiting for lock '" + request.lockId() + "' on "
					+ LockConnection.this.dialect.databaseName() + " failed: "
					+ LockConnection.this.dialect.describe(ex), ex);
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

		/**
		 * Drops the connection of a session that holds no key (after a cancelled wait), without the
		 * warning of {@link #drop}: nothing is lost. The next {@link #connect()} opens a new one.
		 */
		void discard() {
			checkHeld();
			Connection discarded = LockConnection.this.connection;
			LockConnection.this.connection = null;
			if (discarded != null) {
				try {
					discarded.abort(Runnable::run);
				}
				catch (SQLException | RuntimeException ex) {
					closeQuietly(discarded);
				}
			}
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
