package dev.distlock.jdbc.session;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
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
