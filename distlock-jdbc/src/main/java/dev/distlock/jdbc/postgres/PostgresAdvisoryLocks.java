package dev.distlock.jdbc.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

import dev.distlock.jdbc.session.RowQuery;
import dev.distlock.jdbc.session.SessionDialect;
import dev.distlock.jdbc.sql.SqlStatements;
import dev.distlock.spi.LeaseRequest;

/**
 * Session-level advisory locks on a PostgreSQL lock connection: keys from {@link AdvisoryLockKey},
 * a grant in one statement that also draws the fencing token and records the holder, a renewal that
 * reads the session's keys from {@code pg_locks}.
 */
final class PostgresAdvisoryLocks implements SessionDialect<Long> {

	static final String APPLICATION_NAME_PREFIX = "distlock:";

	private static final String LOCK_NOT_AVAILABLE = "55P03";

	private final SqlStatements<PostgresStatement> statements;

	private final String applicationName;

	/** The session name of this instance's connections in {@code pg_stat_activity}. */
	String applicationName() {
		return this.applicationName;
	}

	PostgresAdvisoryLocks(SqlStatements<PostgresStatement> statements, String instanceId) {
		this.statements = statements;
		this.applicationName = APPLICATION_NAME_PREFIX + instanceId;
	}

	@Override
	public String databaseName() {
		return "PostgreSQL";
	}

	@Override
	public boolean isSupportedProduct(String databaseProductName) {
		return "PostgreSQL".equalsIgnoreCase(databaseProductName);
	}

	@Override
	public Long keyOf(String lockId) {
		return AdvisoryLockKey.of(lockId);
	}

	@Override
	public long openSession(Connection connection) throws SQLException {
		return RowQuery.one(connection, sql(PostgresStatement.OPEN_SESSION), (row) -> row.getLong("pid"),
				this.applicationName);
	}

	@Override
	public OptionalLong tryLock(Connection connection, Long key, LeaseRequest request) throws SQLException {
		return RowQuery.one(connection, sql(PostgresStatement.ACQUIRE), (row) -> {
			long token = row.getLong(1);
			return row.wasNull() ? OptionalLong.empty() : OptionalLong.of(token);
		}, key, key, request.lockId().getBytes(StandardCharsets.UTF_8), request.owner());
	}

	/**
	 * {@code pg_advisory_lock} under a {@code lock_timeout} of the wait time, rounded up to the millisecond,
	 * drawing the fencing token and recording the holder in the same statement, as {@code acquire.sql} does.
	 */
	@Override
	public PreparedStatement prepareAwait(Connection connection, Long key, LeaseRequest request, Duration maxWait)
			throws SQLException {
		long millis = Math.max(1, maxWait.toMillis() + ((maxWait.toNanos() % 1_000_000 == 0) ? 0 : 1));
		PreparedStatement statement = connection.prepareStatement(sql(PostgresStatement.AWAIT_LOCK));
		statement.setString(1, millis + "ms");
		statement.setLong(2, key);
		statement.setLong(3, key);
		statement.setBytes(4, request.lockId().getBytes(StandardCharsets.UTF_8));
		statement.setString(5, request.owner());
		return statement;
	}

	/** {@code lock_not_available}: the {@code lock_timeout} of the wait ran out. */
	@Override
	public boolean isAwaitTimeout(SQLException ex) {
		return LOCK_NOT_AVAILABLE.equals(ex.getSQLState());
	}

	/** The wait statement draws the token and records the holder itself: see {@link #awaitedToken}. */
	@Override
	public long recordAwaitedGrant(Connection connection, Long key, LeaseRequest request) throws SQLException {
		throw new SQLException("await-lock.sql draws the fencing token with the grant");
	}

	@Override
	public OptionalLong awaitedToken(ResultSet row) throws SQLException {
		long token = row.getLong("fencing_token");
		if (row.wasNull()) {
			throw new SQLException("A granted wait drew no fencing token");
		}
		return OptionalLong.of(token);
	}

	@Override
	public boolean unlock(Connection connection, Long key) throws SQLException {
		try {
			return RowQuery.one(connection, sql(PostgresStatement.RELEASE), (row) -> row.getBoolean(1), key, key,
					String.valueOf(key));
		}
		finally {
			// pg_advisory_unlock of a key not held only warns; do not let warnings pile up on the connection.
			connection.clearWarnings();
		}
	}

	@Override
	public Set<Long> heldKeys(Connection connection, long sessionId, Collection<Long> keys) throws SQLException {
		Set<Long> held = new HashSet<>();
		try (PreparedStatement statement = connection.prepareStatement(sql(PostgresStatement.HELD_KEYS));
				ResultSet result = statement.executeQuery()) {
			while (result.next()) {
				held.add(result.getLong(1));
			}
		}
		held.retainAll(keys);
		return held;
	}

	@Override
	public String describe(SQLException ex) {
		if ("42P01".equals(ex.getSQLState())) {
			return ex.getMessage() + ". The schema of the 'postgres' lock provider is missing: call "
					+ "PostgresAdvisoryLockProvider.initializeSchema() (distlock.jdbc.initialize-schema=always) or run "
					+ "classpath:" + PostgresStatement.DIRECTORY + "schema.sql";
		}
		return ex.getMessage();
	}

	private String sql(PostgresStatement statement) {
		return this.statements.sql(statement);
	}

}
