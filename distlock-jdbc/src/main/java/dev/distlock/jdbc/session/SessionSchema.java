package dev.distlock.jdbc.session;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

import javax.sql.DataSource;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.init.ScriptException;

import dev.distlock.LockBackendException;
import dev.distlock.jdbc.sql.SchemaScript;

/**
 * Creates the schema a session-scoped provider needs beside its locks (PostgreSQL's fencing sequence
 * and holders table, MySQL's counter table) from its idempotent schema script, in one transaction
 * on a connection of the application's DataSource (statement by statement on databases without
 * transactional DDL). Never on a lock connection.
 */
final class SessionSchema {

	private final DataSource dataSource;

	private final SchemaScript script;

	private final String description;

	/**
	 * @param dataSource the application's DataSource
	 * @param script the provider's schema script; safe to run concurrently and repeatedly
	 * @param description what the schema is, for messages, e.g. {@code the PostgreSQL schema of the 'postgres' lock provider}
	 */
	SessionSchema(DataSource dataSource, SchemaScript script, String description) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
		this.script = Objects.requireNonNull(script, "script");
		this.description = Objects.requireNonNull(description, "description");
	}

	/** Where the script lives, for messages that tell users how to create the schema themselves. */
	String location() {
		return this.script.location();
	}

	/**
	 * Runs the script in one transaction.
	 * @throws LockBackendException if the database cannot be reached or a statement fails
	 */
	void create() {
		Connection connection;
		try {
			connection = DataSourceUtils.getConnection(this.dataSource);
		}
		catch (CannotGetJdbcConnectionException ex) {
			throw new LockBackendException("Creating " + this.description + " failed: " + ex.getMessage(), ex);
		}
		try {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				this.script.executeOn(connection);
				connection.commit();
			}
			catch (SQLException | ScriptException ex) {
				connection.rollback();
				throw ex;
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException | ScriptException ex) {
			throw new LockBackendException("Creating " + this.description + " from " + location() + " failed: "
					+ ex.getMessage(), ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

}
