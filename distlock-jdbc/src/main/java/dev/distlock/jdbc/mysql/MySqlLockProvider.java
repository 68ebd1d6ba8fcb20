package dev.distlock.jdbc.mysql;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
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

/**
 * The {@code mysql} provider, for MySQL 5.7+ and MariaDB 10.2+: named locks ({@code GET_LOCK} /
 * {@code RELEASE_LOCK}) held on a few dedicated lock connections. Every lock id is hashed to a
 * 63-character name by {@link NamedLockName}, so any string works within the server's 64-character limit.
 *
 * <p><b>Lease.</b> A lock lives as long as its lock connection's session. A renewal is one
 * {@code SELECT CONNECTION_ID()} per connection: a named lock can only be lost with its session (only
 * this provider uses the connection), and an unchanged id proves the session alive and not silently
 * reconnected. A dropped connection loses its locks, is reported by the next renewal and is replaced.
 *
 * <p><b>Fencing.</b> Each lock name has a counter row in {@code distlock_named_locks}, bumped with
 * {@code LAST_INSERT_ID(fencing_token + 1)} by the session that just won the name, in the same
 * statement that records it as the holder: a grant is two round trips ({@code GET_LOCK}, then the
 * counter), a busy attempt one. Tokens strictly increase per lock id (not across lock ids).
 *
 * <p><b>Waiting.</b> A caller that waits does so on the server: {@code GET_LOCK(name, seconds)} with its
 * remaining wait time ({@code await-lock.sql}; fractional seconds on MariaDB, whole seconds rounded up
 * on MySQL, which may so wait up to a second longer than asked), on a lock connection set aside for
 * it (see {@link AbstractSessionLockProvider}). The server grants the name, in arrival order, the
 * moment it is released, also when the holder's session dies; the grant is then recorded as after
 * {@code GET_LOCK(name, 0)}. An interrupted waiter's statement is cancelled ({@code KILL QUERY}, sent
 * by the driver on a connection of its own) and its connection discarded. Where no connection can be
 * set aside, the engine polls with back-off as before.
 *
 * <p><b>Operators.</b> {@link #inspect(String)} asks {@code IS_USED_LOCK(name)} and shows the owner
 * recorded by that connection's grant. {@link #listLocks()} does the same for every row of the table,
 * which holds one row per lock id ever used: an operator query. Locks taken with {@code GET_LOCK} by
 * anything but this provider are not listed (MySQL's {@code performance_schema.metadata_locks} and
 * MariaDB's {@code METADATA_LOCK_INFO} plugin are not enabled everywhere, so they are not used).
 * {@link #forceRelease(String)} ends the holding session with {@code KILL CONNECTION} (needs the
 * {@code CONNECTION_ADMIN}/{@code SUPER} privilege or the same user), only if it is the distlock lock
 * connection recorded as the holder: every other lock held on that connection is lost too.
 *
 * <p>Schema: {@link #initializeSchema()} runs {@code dev/distlock/jdbc/mysql/schema.sql} (idempotent).
 * Statements: one file each beside it, see {@code MySqlStatement}.
 */
public final class MySqlLockProvider extends AbstractSessionLockProvider<String> {

	/** How long {@link #forceRelease} waits for the killed session to let go of the name. */
	private static final Duration KILL_TIMEOUT = Duration.ofSeconds(5);

	private static final SqlStatements<MySqlStatement> STATEMENTS = SqlStatements.load(MySqlStatement.class,
			MySqlStatement.DIRECTORY);

	/**
	 * @param dataSource the application's DataSource (MySQL or MariaDB): schema creation, database
	 * check and operator queries; it never holds a lock
	 * @param lockConnections opens the dedicated lock connections, e.g.
	 * {@link LockConnectionFactory#ofDriver} with the DataSource's URL and credentials
	 * @param settings instance id, number of lock connections (default 2), network timeout
	 */
	public MySqlLockProvider(DataSource dataSource, LockConnectionFactory lockConnections,
			SessionLockSettings settings) {
		super(dataSource, lockConnections, settings, new MySqlNamedLocks(STATEMENTS),
				SchemaScript.load(MySqlStatement.DIRECTORY + "schema.sql"));
	}

	@Override
	public String id() {
		return "mysql";
	}

	/** The locks this provider's instances hold (reads the whole counter table). */
	@Override
	protected Set<ProviderCapability> databaseCapabilities() {
		return EnumSet.of(ProviderCapability.LISTING, ProviderCapability.FORCE_RELEASE);
	}

	@Override
	public List<BackendLock> listLocks() {
		try {
			return jdbcTemplate().query(STATEMENTS.sql(MySqlStatement.LIST_LOCKS),
					(result, row) -> new BackendLock(new String(result.getBytes("lock_id"), StandardCharsets.UTF_8),
							result.getString("owner"), result.getLong("fencing_token"), null));
		}
		catch (DataAccessException ex) {
			throw new LockBackendException("Listing named locks on MySQL/MariaDB failed: " + ex.getMessage(), ex);
		}
	}

	@Override
	public Optional<BackendLock> inspect(String lockId) {
		return holder(lockId).map(Holder::lock);
	}

	/**
	 * Ends the session that holds the lock ({@code KILL CONNECTION}), if it is the distlock lock
	 * connection recorded as its holder, and waits up to 5 s until the name is free of it. Every other
	 * lock held on that connection is lost too.
	 * @return whether a holding session was killed
	 */
	@Override
	public boolean forceRelease(String lockId) {
		Optional<Holder> holder = holder(lockId);
		if (holder.isEmpty()) {
			return false;
		}
		String name = NamedLockName.of(lockId);
		long connectionId = holder.get().connectionId();
		try {
			jdbcTemplate().update(STATEMENTS.sql(MySqlStatement.KILL_CONNECTION), connectionId);
			long deadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
			while (Objects.equals(jdbcTemplate().queryForObject(STATEMENTS.sql(MySqlStatement.IS_USED_LOCK), Long.class, name), connectionId)) {
				if (System.nanoTime() - deadline > 0) {
					return false;
				}
				Thread.sleep(10);
			}
		}
		catch (DataAccessException ex) {
			throw new LockBackendException("Force-releasing lock '" + lockId + "' on MySQL/MariaDB failed: "
					+ ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		return true;
	}

	private Optional<Holder> holder(String lockId) {
		try {
			return jdbcTemplate().query(STATEMENTS.sql(MySqlStatement.INSPECT), (result, row) -> new Holder(
					new BackendLock(lockId, result.getString("owner"), result.getLong("fencing_token"), null),
					result.getLong("holder_connection")), NamedLockName.of(lockId)).stream().findFirst();
		}
		catch (DataAccessException ex) {
			throw new LockBackendException("Inspecting lock '" + lockId + "' on MySQL/MariaDB failed: "
					+ ex.getMessage(), ex);
		}
	}

	/** The holder of a lock and the connection it holds it on. */
	private record Holder(BackendLock lock, long connectionId) {
	}

}
