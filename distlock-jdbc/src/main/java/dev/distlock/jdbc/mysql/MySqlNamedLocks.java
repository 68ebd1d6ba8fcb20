package dev.distlock.jdbc.mysql;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.Set;

import dev.distlock.jdbc.session.RowQuery;
import dev.distlock.jdbc.session.SessionDialect;
import dev.distlock.jdbc.sql.SqlStatements;
import dev.distlock.spi.LeaseRequest;

/**
 * Named locks on a MySQL/MariaDB lock connection: names from {@link NamedLockName}, a grant in two
 * round trips ({@code GET_LOCK}, then the fencing counter; a waiting caller's {@code GET_LOCK} blocks
 * on the server with a timeout), a renewal that checks the session's connection id is unchanged.
 */
final class MySqlNamedLocks implements SessionDialect<String> {

	private static final int ER_NO_SUCH_TABLE = 1146;

	private final SqlStatements<MySqlStatement> statements;

	MySqlNamedLocks(SqlStatements<MySqlStatement> statements) {
		this.statements = statements;
	}

	@Override
	public String databaseName() {
		return "MySQL/MariaDB";
	}

	@Override
	public boolean isSupportedProduct(String databaseProductName) {
		return "MySQL".equalsIgnoreCase(databaseProductName) || "MariaDB".equalsIgnoreCase(databaseProductName);
	}

	@Override
	public String keyOf(String lockId) {
		return NamedLockName.of(lockId);
	}

	@Override
	public long openSession(Connection connection) throws SQLException {
		return RowQuery.one(connection, sql(MySqlStatement.OPEN_SESSION), (row) -> row.getLong("connection_id"));
	}

	@Override
	public OptionalLong tryLock(Connection connection, String name, LeaseRequest request) throws SQLException {
		Integer granted = RowQuery.one(connection, sql(MySqlStatement.GET_LOCK), (row) -> {
			int result = row.getInt(1);
			return row.wasNull() ? null : result;
		}, name);
		if (granted == null) {
			throw new SQLException("GET_LOCK returned NULL (server error or killed session)");
		}
		// If recording the grant fails, the caller releases the name again (or drops the connection).
		return (granted == 1) ? OptionalLong.of(recordGrant(connection, name, request)) : OptionalLong.empty();
	}

	/**
	 * {@code GET_LOCK(name, seconds)}: MariaDB waits fractional seconds (to the millisecond here); MySQL
	 * is given whole seconds, rounded up, so it may wait up to a second longer than asked, never shorter.
	 */
	@Override
	public PreparedStatement prepareAwait(Connection connection, String name, LeaseRequest request, Duration maxWait)
			throws SQLException {
		long millis = Math.max(1, maxWait.toMillis() + ((maxWait.toNanos() % 1_000_000 == 0) ? 0 : 1));
		boolean mariaDb = "MariaDB".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
		BigDecimal seconds = mariaDb ? BigDecimal.valueOf(millis, 3)
				: BigDecimal.valueOf((millis + 999) / 1000);
		PreparedStatement statement = connection.prepareStatement(sql(MySqlStatement.AWAIT_LOCK));
		statement.setString(1, name);
		statement.setBigDecimal(2, seconds);
		return statement;
	}

	@Override
	public long recordAwaitedGrant(Connection connection, String name, LeaseRequest request) throws SQLException {
		return recordGrant(connection, name, request);
	}

	private long recordGrant(Connection connection, String name, LeaseRequest request) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(
				sql(MySqlStatement.RECORD_GRANT), Statement.RETURN_GENERATED_KEYS)) {
			statement.setString(1, name);
			statement.setBytes(2, request.lockId().getBytes(StandardCharsets.UTF_8));
			statement.setString(3, request.owner());
			statement.executeUpdate();
			try (ResultSet keys = statement.getGeneratedKeys()) {
				if (!keys.next()) {
					throw new SQLException("The fencing counter update returned no LAST_INSERT_ID");
				}
				return keys.getLong(1);
			}
		}
	}

	@Override
	public boolean unlock(Connection connection, String name) throws SQLException {
		return RowQuery.one(connection, sql(MySqlStatement.RELEASE), (row) -> row.getInt(1) == 1, name);
	}

	@Override
	public Set<String> heldKeys(Connection connection, long sessionId, Collection<String> names) throws SQLException {
		long current = RowQuery.one(connection, sql(MySqlStatement.SESSION_ID), (row) -> row.getLong(1));
		return (current == sessionId) ? Set.copyOf(names) : Set.of();
	}

	@Override
	public String describe(SQLException ex) {
		if (ex.getErrorCode() == ER_NO_SUCH_TABLE) {
			return ex.getMessage() + ". The schema of the 'mysql' lock provider is missing: call "
					+ "MySqlLockProvider.initializeSchema() (distlock.jdbc.initialize-schema=always) or run "
					+ "classpath:" + MySqlStatement.DIRECTORY + "schema.sql";
		}
		return ex.getMessage();
	}

	private String sql(MySqlStatement statement) {
		return this.statements.sql(statement);
	}

}
