package dev.distlock.jdbc.table;


import org.jspecify.annotations.Nullable;

import dev.distlock.LockBackendException;
import dev.distlock.jdbc.sql.MissingTable;

/**
 * Turns database failures into {@link LockBackendException}s that name the operation and the lock,
 * and tell how to create the table when it is missing.
 */
final class LeaseTableFailures {

	/**
	 * SQLSTATEs for "no such table": PostgreSQL {@code 42P01}; MySQL, MariaDB, H2 and X/Open
	 * {@code 42S02}; H2's variants {@code 42S03}/{@code 42S04}; Derby {@code 42X05}.
	 */
	private final String tableName;

	LeaseTableFailures(String tableName) {
		this.tableName = tableName;
	}

	/**
	 * @param operation what was being done, as a gerund phrase ({@code "acquiring"})
	 * @param lockId the lock it was done to, or {@code null} for table-wide operations
	 * @param dialect the dialect, or {@code null} if the database could not be told yet
	 */
	LockBackendException failed(String operation, @Nullable String lockId, @Nullable TableDialect dialect,
			RuntimeException cause) {
		String what = "jdbc-table: " + operation + ((lockId != null) ? " lock '" + lockId + "'" : "");
		if (dialect != null && MissingTable.isCauseOf(cause)) {
			return new LockBackendException(what + " failed: the lock table '" + this.tableName
					+ "' does not exist. Create it with the statements in " + dialect.schemaLocation()
					+ (this.tableName.equals(JdbcTableLockProvider.DEFAULT_TABLE_NAME) ? ""
							: " (with '" + this.tableName + "' in place of distlock_lock)")
					+ ", or set distlock.jdbc.initialize-schema=always to let distlock create it at startup", cause);
		}
		return new LockBackendException(what + " failed: " + cause.getMessage(), cause);
	}

}
