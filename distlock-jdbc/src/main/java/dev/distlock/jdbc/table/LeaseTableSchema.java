package dev.distlock.jdbc.table;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcOperations;

import dev.distlock.jdbc.sql.MissingTable;

/**
 * Creates the lease table from the dialect's {@code schema-*.sql} (its {@link dev.distlock.jdbc.sql.SchemaScript})
 * when it is missing. Probing first
 * keeps it idempotent on databases without {@code CREATE TABLE IF NOT EXISTS} and lets a user
 * without the right to create tables start against a table that exists.
 */
final class LeaseTableSchema {

	private static final Logger logger = LoggerFactory.getLogger(LeaseTableSchema.class);

	private final JdbcOperations jdbc;

	private final String tableName;

	private final LeaseTableFailures failures;

	LeaseTableSchema(JdbcOperations jdbc, String tableName, LeaseTableFailures failures) {
		this.jdbc = jdbc;
		this.tableName = tableName;
		this.failures = failures;
	}

	void createIfMissing(TableDialect dialect) {
		try {
			if (exists(dialect)) {
				return;
			}
			this.jdbc.execute((ConnectionCallback<Void>) (connection) -> {
				dialect.schema().executeOn(connection);
				return null;
			});
			logger.debug("Created lock table '{}' from {}", this.tableName, dialect.schemaLocation());
		}
		catch (DataAccessException ex) {
			// Another instance may have created it meanwhile.
			if (!existsQuietly(dialect)) {
				throw this.failures.failed("creating table '" + this.tableName + "' from " + dialect.schemaLocation(),
						null, null, ex);
			}
		}
	}

	private boolean exists(TableDialect dialect) {
		try {
			this.jdbc.queryForObject(dialect.sql(TableStatement.HEALTH), Long.class);
			return true;
		}
		catch (DataAccessException ex) {
			if (MissingTable.isCauseOf(ex)) {
				return false;
			}
			throw ex;
		}
	}

	private boolean existsQuietly(TableDialect dialect) {
		try {
			return exists(dialect);
		}
		catch (DataAccessException ex) {
			return false;
		}
	}

}
