package dev.distlock.jdbc.postgres;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessException;

import dev.distlock.LockBackendException;
import dev.distlock.jdbc.session.AbstractSessionLockProvider;
import dev.distlock.jdbc.session.LockConnectionFactory;
import dev.distlock.jdbc.session.SessionLockSettings;
import dev.distlock.jdbc.sql.SchemaScript;
import dev.distlock.jdbc.sql.SqlStatements;
import dev.distlock.spi.BackendLock;
import dev.distlock.spi.ProviderCapability;
import dev.distlock.spi.ReleaseSubscription;

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
 * <p><b>Waiting.</b> A caller that waits does so on the server: {@code pg_advisory_lock(key)} under a
 * {@code lock_timeout} of its remaining wait time ({@code await-lock.sql}), on a lock connection set
 * aside for it (see {@link AbstractSessionLockProvider}). PostgreSQL queues the waiters of every
 * instance on the key and grants it to the first the moment it is released, also when the holder's
 * session dies; the same statement draws the fencing token and records the holder. The releasing
 * instance cannot win the key back by retrying first, so instances take turns. Where no connection
 * can be set aside, the engine falls back to release notifications: a release notifies the channel
 * {@code distlock_release} with its key in the release statement itself ({@code pg_notify},
 * delivered when it commits); one listen connection per provider, opened with the first waiter,
 * wakes the local waiters for that key. A lock freed by a dropped session notifies nobody: the
 * engine's slow poll finds it. The listen connection is one more connection per instance, from the
 * same {@link LockConnectionFactory}.
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
 * (idempotent). Statements: one file each beside it, see {@code PostgresStatement}.
 */
public final class PostgresAdvisoryLockProvider extends AbstractSessionLockProvider<Long> {

	/** How long {@link #forceRelease} waits for the evicted session to end. */
	private static final Duration TERMINATE_TIMEOUT = Duration.ofSeconds(5);

	private static final SqlStatements<PostgresStatement> STATEMENTS = SqlStatements.load(PostgresStatement.class,
			PostgresStatement.DIRECTORY);

	private final ReleaseNotifications notifications;

	/**
	 * @param dataSource the application's DataSource (a PostgreSQL database): schema creation,
	 * database check and operator queries; it never holds a lock
	 * @param lockConnections opens the dedicated lock connections, e.g.
	 * {@link LockConnectionFactory#ofDriver} with the DataSource's URL and credentials
	 * @param settings instance id, number of lock connections (default 2), network timeout
	 */
	public PostgresAdvisoryLockProvider(DataSource dataSource, LockConnectionFactory lockConnections,
			SessionLockSettings settings) {
		this(dataSource, lockConnections, settings, new PostgresAdvisoryLocks(STATEMENTS, settings.instanceId()));
	}

	private PostgresAdvisoryLockProvider(DataSource dataSource, LockConnectionFactory lockConnections,
			SessionLockSettings settings, PostgresAdvisoryLocks dialect) {
		super(dataSource, lockConnections, settings, dialect,
				SchemaScript.load(PostgresStatement.DIRECTORY + "schema.sql"));
		this.notifications = new ReleaseNotifications(lockConnections, STATEMENTS.sql(PostgresStatement.LISTEN),
				dialect.applicationName());
	}

	@Override
	public String id() {
		return "postgres";
	}

	/** Listing, force-release and release notifications. */
	@Override
	protected Set<ProviderCapability> databaseCapabilities() {
		return EnumSet.of(ProviderCapability.LISTING, ProviderCapability.FORCE_RELEASE,
				ProviderCapability.RELEASE_NOTIFICATIONS);
	}

	/** Wakes the listener when a release of the lock's advisory key is notified, by any instance. */
	@Override
	public ReleaseSubscription onRelease(String lockId, Runnable listener) {
		return this.notifications.register(AdvisoryLockKey.of(lockId), listener);
	}

	/** Whether the listen connection of the release notifications is subscribed right now. */
	boolean isListening() {
		return this.notifications.isListening();
	}

	/** Stops the release notifications, then closes the lock connections (the server releases their locks). */
	@Override
	public void close() {
		this.notifications.close();
		super.close();
	}

	/**
	 * Every advisory lock that distlock lock connections of any instance hold in this database. Locks
	 * whose holder row is missing show as {@code advisory-key:<key>} with the holding session's
	 * instance id as owner and fencing token 0.
	 */
	@Override
	public List<BackendLock> listLocks() {
		try {
			return jdbcTemplate().query(STATEMENTS.sql(PostgresStatement.LIST_LOCKS), (result, row) -> {
				byte[] lockId = result.getBytes("lock_id");
				if (lockId != null) {
					return new BackendLock(new String(lockId, StandardCharsets.UTF_8), result.getString("owner"),
							result.getLong("fencing_token"), null);
				}
				String applicationName = String.valueOf(result.getString("application_name"));
				String instance = applicationName.startsWith(PostgresAdvisoryLocks.APPLICATION_NAME_PREFIX)
						? applicationName.substring(PostgresAdvisoryLocks.APPLICATION_NAME_PREFIX.length()) : applicationName;
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
				.query(STATEMENTS.sql(PostgresStatement.INSPECT),
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
			long key = AdvisoryLockKey.of(lockId);
			List<Boolean> terminated = jdbcTemplate().query(STATEMENTS.sql(PostgresStatement.FORCE_RELEASE),
					(result, row) -> result.getBoolean("terminated"), TERMINATE_TIMEOUT.toMillis(), key,
					lockId.getBytes(StandardCharsets.UTF_8), String.valueOf(key));
			return terminated.contains(Boolean.TRUE);
		}
		catch (DataAccessException ex) {
			throw new LockBackendException("Force-releasing lock '" + lockId + "' on PostgreSQL failed: "
					+ ex.getMessage(), ex);
		}
	}

}
