package dev.distlock.jdbc.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;

import dev.distlock.LockBackendException;
import dev.distlock.jdbc.session.AbstractSessionLockProvider;
import dev.distlock.jdbc.session.LockConnectionFactory;
import dev.distlock.jdbc.session.SessionLockSettings;
import dev.distlock.spi.BackendLock;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.ProviderCapability;

/**
 * The {@code postgres} provider: session-level PostgreSQL advisory locks
 * ({@code pg_try_advisory_lock(bigint)} / {@code pg_advisory_unlock}) held on a few dedicated lock
 * connections. A lock id maps to its 64-bit key through {@link AdvisoryLockKey} (SHA-256; a collision
 * only causes false contention, never a double grant).
 *
 * <p><b>Lease.</b> A lock lives as long as its lock connection's session; a renewal proves, in one
 * round trip per connection, that the session is alive and still holds the keys (from
 * {@code pg_locks}). A dropped connection loses its locks, is reported by the next renewal and is
 * replaced. When the process dies, the server sees the socket close and releases its locks.
 *
 * <p><b>Fencing.</b> Tokens come from the sequence {@code distlock_fencing_seq}, drawn in the same
 * statement that takes the lock: strictly increasing for the whole database.
 *
 * <p><b>Waiting.</b> This provider does not notify releases; the engine polls with jittered
 * back-off. LISTEN/NOTIFY was left out on purpose: the polling handoff (measured figures in the
 * README's provider table) suits the coarse critical sections distributed locks guard. NOTIFY would cut the handoff to a round trip or two, but it needs a
 * listening connection per instance, the driver-specific {@code PGConnection} API, and it makes
 * every release commit through PostgreSQL's database-wide notification queue lock.
 *
 * <p><b>Operators.</b> Lock connections are named {@code distlock:<instance id>}
 * ({@code application_name}). The holders of keys are recorded in the unlogged table
 * {@code distlock_advisory_holders} in the grant's own statement, so {@link #listLocks()} and
 * {@link #inspect(String)} show lock ids, owners and tokens of every instance; an advisory lock held
 * by a distlock connection without a row is listed by key. {@link #forceRelease(String)} terminates
 * the holding session ({@code pg_terminate_backend}, PostgreSQL 14+, needs the
 * {@code pg_signal_backend} role or the same user), only if it is a distlock lock connection: every
 * other lock held on that connection is lost too, and its holder learns so at its next renewal.
 *
 * <p>Schema: {@link #initializeSchema()} runs {@code dev/distlock/jdbc/postgres/schema.sql}
 * (idempotent).
 */
public final class PostgresAdvisoryLockProvider extends AbstractSessionLockProvider<Long> {

	/** How long {@link #forceRelease} waits for the evicted session to end. */
	private static final Duration TERMINATE_TIMEOUT = Duration.ofSeconds(5);

	private static final String APPLICATION_NAME_PREFIX = "distlock:";

	private static final String SCHEMA = "schema.sql";

	private final String openSessionSql = loadSql(getClass(), "open-session.sql");

	private final String acquireSql = loadSql(getClass(), "acquire.sql");

	private final String releaseSql = loadSql(getClass(), "release.sql");

	private final String heldKeysSql = loadSql(getClass(), "held-keys.sql");

	private final String listLocksSql = loadSql(getClass(), "list-locks.sql");

	private final String inspectSql = loadSql(getClass(), "inspect.sql");

	private final String forceReleaseSql = loadSql(getClass(), "force-release.sql");

	/**
	 * @param dataSource the application's DataSource (a PostgreSQL database): schema creation,
	 * database check and operator queries; it never holds a lock
	 * @param lockConnections opens the dedicated lock connections, e.g.
	 * {@link LockConnectionFactory#ofDriver} with the DataSource's URL and credentials
	 * @param settings instance id, number of lock connections (default 2), network timeout
	 */
	public PostgresAdvisoryLockProvider(DataSource dataSource, LockConnectionFactory lockConnections,
			SessionLockSettings settings) {
		super(dataSource, lockConnections, settings);
	}

	@Override
	public String id() {
		return "postgres";
	}

	/** Creates the fencing sequence and the holders table if missing; safe to run concurrently and repeatedly. */
	public void initializeSchema() {
		runSchemaScript(new ClassPathResource(SCHEMA, getClass()));
	}

	@Override
	protected String databaseName() {
		return "PostgreSQL";
	}

	@Override
	protected boolean isSupportedProduct(String databaseProductName) {
		return "PostgreSQL".equalsIgnoreCase(databaseProductName);
	}

	@Override
	protected Long keyOf(String lockId) {
		return AdvisoryLockKey.of(lockId);
	}

	@Override
	protected long openSession(Connection connection) throws SQLException {
		String applicationName = APPLICATION_NAME_PREFIX + settings().instanceId();
		try (PreparedStatement statement = connection.prepareStatement(this.openSessionSql)) {
			statement.setString(1, applicationName);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getInt("pid");
			}
		}
	}

	@Override
	protected OptionalLong tryLock(Connection connection, Long key, LeaseRequest request) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.acquireSql)) {
			statement.setLong(1, key);
			statement.setLong(2, key);
			statement.setBytes(3, request.lockId().getBytes(StandardCharsets.UTF_8));
			statement.setString(4, request.owner());
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				long token = result.getLong(1);
				return result.wasNull() ? OptionalLong.empty() : OptionalLong.of(token);
			}
		}
	}

	@Override
	protected boolean unlock(Connection connection, Long key) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.releaseSql)) {
			statement.setLong(1, key);
			statement.setLong(2, key);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getBoolean(1);
			}
		}
		finally {
			// pg_advisory_unlock of a key not held only warns; do not let warnings pile up on the connection.
			connection.clearWarnings();
		}
	}

	@Override
	protected Set<Long> heldKeys(Connection connection, long sessionId, Collection<Long> keys) throws SQLException {
		Set<Long> held = new HashSet<>();
		try (PreparedStatement statement = connection.prepareStatement(this.heldKeysSql);
				ResultSet result = statement.executeQuery()) {
			while (result.next()) {
				held.add(result.getLong(1));
			}
		}
		held.retainAll(keys);
		return held;
	}

	@Override
	protected String describe(SQLException ex) {
		if ("42P01".equals(ex.getSQLState())) {
			return ex.getMessage() + ". The schema of the 'postgres' lock provider is missing: call "
					+ "PostgresAdvisoryLockProvider.initializeSchema() (distlock.jdbc.initialize-schema=always) or run "
					+ "classpath:dev/distlock/jdbc/postgres/schema.sql";
		}
		return ex.getMessage();
	}

	@Override
	protected Set<ProviderCapability> operatorCapabilities() {
		return EnumSet.of(ProviderCapability.LISTING, ProviderCapability.FORCE_RELEASE);
	}

	/**
	 * Every advisory lock that distlock lock connections of any instance hold in this database. Locks
	 * whose holder row is missing show as {@code advisory-key:<key>} with the holding session's
	 * instance id as owner and fencing token 0.
	 */
	@Override
	public List<BackendLock> listLocks() {
		try {
			return jdbcTemplate().query(this.listLocksSql, (result, row) -> {
				byte[] lockId = result.getBytes("lock_id");
				if (lockId != null) {
					return new BackendLock(new String(lockId, StandardCharsets.UTF_8), result.getString("owner"),
							result.getLong("fencing_token"), null);
				}
				String applicationName = String.valueOf(result.getString("application_name"));
				String instance = applicationName.startsWith(APPLICATION_NAME_PREFIX)
						? applicationName.substring(APPLICATION_NAME_PREFIX.length()) : applicationName;
				return new BackendLock("advisory-key:" + result.getLong("lock_key"), instance, 0, null);
			});
		}
		catch (DataAccessException ex) {
			throw new LockBackendException("Listing advisory locks on PostgreSQL failed: " + ex.getMessage(), ex);
		}
	}

	@Override
	public Optional<BackendLock> inspect(String lockId) {
		try {
			return jdbcTemplate()
				.query(this.inspectSql,
						(result, row) -> new BackendLock(lockId, result.getString("owner"),
								result.getLong("fencing_token"), null),
						AdvisoryLockKey.of(lockId), lockId.getBytes(StandardCharsets.UTF_8))
				.stream()
				.findFirst();
		}
		catch (DataAccessException ex) {
			throw new LockBackendException("Inspecting lock '" + lockId + "' on PostgreSQL failed: " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * Ends the session that holds the lock, if it is a distlock lock connection: PostgreSQL cannot
	 * release another session's advisory lock, so the session goes, and with it every lock it held
	 * (their holders find them lost at their next renewal). Waits up to 5 s for the session to end.
	 * @return whether a holding session was terminated
	 */
	@Override
	public boolean forceRelease(String lockId) {
		try {
			List<Boolean> terminated = jdbcTemplate().queryForList(this.forceReleaseSql, Boolean.class,
					TERMINATE_TIMEOUT.toMillis(), AdvisoryLockKey.of(lockId), lockId.getBytes(StandardCharsets.UTF_8));
			return terminated.contains(Boolean.TRUE);
		}
		catch (DataAccessException ex) {
			throw new LockBackendException("Force-releasing lock '" + lockId + "' on PostgreSQL failed: "
					+ ex.getMessage(), ex);
		}
	}

}
