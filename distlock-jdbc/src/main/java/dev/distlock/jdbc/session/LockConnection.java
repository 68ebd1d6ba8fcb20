package dev.distlock.jdbc.session;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * One dedicated lock connection and the locks its session holds, by key. Calls on one connection are
 * serialized: the bookkeeping and the statement that changes the session's locks must happen together.
 * Every method except {@link #lock()} requires the caller to hold {@link #lock()}.
 *
 * @param <K> the database's lock key type
 */
final class LockConnection<K> {

	private final int index;

	private final ReentrantLock lock = new ReentrantLock();

	private final Map<K, SessionHold> holds = new HashMap<>();

	private @Nullable Connection connection;

	private long sessionId;

	LockConnection(int index) {
		this.index = index;
	}

	int index() {
		return this.index;
	}

	ReentrantLock lock() {
		return this.lock;
	}

	@Nullable Connection connection() {
		return this.connection;
	}

	/** The server's id of the session (backend pid, connection id); valid while connected. */
	long sessionId() {
		return this.sessionId;
	}

	void attach(Connection connection, long sessionId) {
		this.connection = connection;
		this.sessionId = sessionId;
	}

	@Nullable SessionHold hold(K key) {
		return this.holds.get(key);
	}

	void hold(K key, SessionHold hold) {
		this.holds.put(key, hold);
	}

	void forget(K key) {
		this.holds.remove(key);
	}

	/**
	 * Drops the connection: the server ends the session and with it every lock it held.
	 * @return how many holds were lost with it
	 */
	int discard() {
		Connection dropped = this.connection;
		this.connection = null;
		int lost = this.holds.size();
		this.holds.clear();
		if (dropped != null) {
			try {
				// abort, not close: a dropped network would make close() wait for a goodbye nobody reads.
				dropped.abort(Runnable::run);
			}
			catch (SQLException | RuntimeException ex) {
				closeQuietly(dropped);
			}
		}
		return lost;
	}

	/** Closes the connection normally, which ends the session and releases its locks at once. */
	void close() {
		Connection open = this.connection;
		this.connection = null;
		this.holds.clear();
		if (open != null) {
			closeQuietly(open);
		}
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// Already unusable; the server ends the session when it notices.
		}
	}

}
