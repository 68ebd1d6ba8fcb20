package dev.distlock.jdbc.session;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.Set;

import dev.distlock.LockConfigurationException;
import dev.distlock.spi.LeaseRequest;

/**
 * What one database does for a session-scoped provider: its lock keys and the statements that take,
 * give back and confirm session locks on a lock connection. {@link AbstractSessionLockProvider}
 * decides when they run; each method is one round trip at most, on a connection the caller holds.
 *
 * @param <K> the database's lock key type
 */
public interface SessionDialect<K> {

	/** The database as named in messages, e.g. {@code PostgreSQL}. */
	String databaseName();

	/** Whether {@link DatabaseMetaData#getDatabaseProductName()} names a database this dialect supports. */
	boolean isSupportedProduct(String databaseProductName);

	/** The database lock key for a lock id: a stable hash, never the raw id. */
	K keyOf(String lockId);

	/**
	 * Prepares a newly opened lock connection (session name, clean-up) in as few round trips as it can.
	 * @return the server's id of the session (backend pid, connection id)
	 */
	long openSession(Connection connection) throws SQLException;

	/**
	 * One non-blocking attempt to lock the key on the session, which does not hold it yet.
	 * @return the fencing token if granted
	 */
	OptionalLong tryLock(Connection connection, K key, LeaseRequest request) throws SQLException;

	/**
	 * The statement that waits on the server, up to {@code maxWait}, until the session is granted the key
	 * (which it does not hold yet): the server queues it behind the other waiters and grants it on
	 * release. Executing it returns one row whose first column is true (or 1) if granted, false (or 0)
	 * if the wait time ran out; it fails if the server ended the wait otherwise. The caller may
	 * {@link PreparedStatement#cancel()} it and closes it.
	 * @param request the grant's lock id and owner, for a statement that records the holder itself
	 * @param maxWait positive
	 */
	PreparedStatement prepareAwait(Connection connection, K key, LeaseRequest request, Duration maxWait)
			throws SQLException;

	/** Whether a failure of the {@link #prepareAwait} statement only means that the wait time ran out. */
	default boolean isAwaitTimeout(SQLException ex) {
		return false;
	}

	/**
	 * Draws the fencing token and records the holder, right after the {@link #prepareAwait} statement
	 * granted the session the key: what {@link #tryLock} does after its grant. Only called when
	 * {@link #awaitedToken} found no token in the wait statement's row.
	 * @return the fencing token
	 */
	long recordAwaitedGrant(Connection connection, K key, LeaseRequest request) throws SQLException;

	/**
	 * The fencing token, if the {@link #prepareAwait} statement drew it and recorded the holder itself
	 * right after its grant (saving {@link #recordAwaitedGrant}'s round trip); read from its granted row.
	 */
	default OptionalLong awaitedToken(ResultSet row) throws SQLException {
		return OptionalLong.empty();
	}

	/**
	 * Unlocks a key the session holds once.
	 * @return whether the session held it
	 */
	boolean unlock(Connection connection, K key) throws SQLException;

	/**
	 * In one round trip, which of the given keys the session still holds. Also proves the connection alive.
	 * @param sessionId the id {@link #openSession} returned for this connection
	 */
	Set<K> heldKeys(Connection connection, long sessionId, Collection<K> keys) throws SQLException;

	/** The failure as operators need it, e.g. with how to create a missing schema. */
	default String describe(SQLException ex) {
		return ex.getMessage();
	}

	/**
	 * Refuses a connection to a database this dialect does not support.
	 * @param providerId the provider, for the message
	 * @param databaseProductName what the connection says it is
	 * @param where which connection, for the message ({@code the application's DataSource})
	 * @throws LockConfigurationException if it is another database
	 */
	default void checkProduct(String providerId, String databaseProductName, String where) {
		if (!isSupportedProduct(databaseProductName)) {
			throw new LockConfigurationException("The '" + providerId + "' lock provider needs " + databaseName()
					+ " but " + where + " is " + databaseProductName + "; use distlock.provider=jdbc-table for other databases");
		}
	}

}
