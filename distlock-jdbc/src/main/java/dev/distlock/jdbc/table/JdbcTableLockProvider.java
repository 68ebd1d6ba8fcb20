package dev.distlock.jdbc.table;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.util.ClassUtils;

import dev.distlock.LockBackendException;
import dev.distlock.LockConfigurationException;
import dev.distlock.jdbc.DatabaseKind;
import dev.distlock.jdbc.TableName;
import dev.distlock.jdbc.postgres.AdvisoryLockKey;
import dev.distlock.jdbc.session.LockConnectionFactory;
import dev.distlock.spi.BackendLock;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;
import dev.distlock.spi.ReleaseSubscription;

/**
 * The {@code jdbc-table} provider: one row per lock in a lease table, on any JDBC database (H2,
 * PostgreSQL, MySQL, MariaDB, and standard SQL elsewhere).
 *
 * <ul>
 * <li>A grant takes a row that is free (owner {@code NULL}) or whose lease has expired, by a
 * conditional {@code UPDATE}, or inserts the row for a lock never used before. Expiry is judged by
 * the database's clock ({@code CURRENT_TIMESTAMP}, {@code UTC_TIMESTAMP(3)}) in the statement
 * itself: this class never reads the application's clock. Lease times have millisecond precision.
 * <li>Each grant adds one to the row's fencing token. Release and force-release keep the row (owner
 * {@code NULL}), so tokens keep increasing across release, expiry and restarts. Rows are never
 * deleted; do not delete them while applications run.
 * <li>Round trips per acquisition: 1 on PostgreSQL ({@code INSERT ... ON CONFLICT DO UPDATE ...
 * RETURNING}), 2 elsewhere (see {@link TableDialect}). Extend, release, force-release,
 * inspect: 1. Grants: see {@link LeaseGrant}; batch extension: see {@link BatchExtension}.
 * <li>Statements run in auto-commit, never inside the application's transaction (see
 * {@link AutoCommitDataSource}): a lock taken inside a {@code @Transactional} method is visible to
 * other instances at once and is not rolled back with it.
 * <li>Listing reads the whole table: {@code expires_at} has no index, which every grant and
 * renewal would have to maintain.
 * </ul>
 *
 * <p><b>Waiting.</b> On PostgreSQL (with PgJDBC on the class path) waiters are woken instead of
 * polling: release and force-release notify the channel {@code distlock_table_release} in their own
 * statement ({@code pg_notify}, delivered when it commits), one listen connection per provider wakes
 * the local waiters of that lock, and a timer wakes them when the holder's lease, as read from the
 * row, expires (an expired lease notifies nobody); see {@link PostgresWakeups}. A lost notification
 * (the listen connection dropped) costs the engine's slow poll, and every waiter is woken when the
 * connection listens again. An instance that won a lock from other instances' waiters holds back
 * after releasing it until one of them announces its grant (at most 5 ms), so they get their turn
 * ({@link Handoffs}). On other databases waiters poll with back-off.
 *
 * <p><b>Capabilities.</b> Whether waiters are notified depends on the database, so
 * {@link #capabilities()} is decided once, on its first call (the engine asks when it is built, at
 * startup), and never changes afterwards: from the database kind given to the constructor, else by
 * asking the database then. If the database cannot be reached at that moment, the provider
 * works without notifications (waiters poll) until it is built again; give it the kind (the
 * auto-configuration does, from the JDBC URL) to avoid that.
 *
 * <p>The table must exist: {@link #initializeSchema()} creates it, and an operation on a missing
 * table fails with a {@link LockBackendException} that says how to create it. The SQL dialect is
 * detected on first use, so the application starts while the database is down.
 */
public final class JdbcTableLockProvider implements LockProvider {

	private static final Set<ProviderCapability> CAPABILITIES = Collections.unmodifiableSet(
			EnumSet.of(ProviderCapability.BATCH_EXTEND, ProviderCapability.LISTING, ProviderCapability.FORCE_RELEASE));

	private static final Set<ProviderCapability> NOTIFIED_CAPABILITIES = Collections
		.unmodifiableSet(EnumSet.of(ProviderCapability.BATCH_EXTEND, ProviderCapability.LISTING,
				ProviderCapability.FORCE_RELEASE, ProviderCapability.RELEASE_NOTIFICATIONS));

	/** Release notifications need PgJDBC's {@code PGConnection} (an optional dependency). */
	private static final boolean pgJdbcPresent = ClassUtils.isPresent("org.postgresql.PGConnection",
			JdbcTableLockProvider.class.getClassLoader());

	/** The table name unless configured otherwise ({@code distlock.jdbc.table-name}). */
	public static final String DEFAULT_TABLE_NAME = "distlock_lock";

	/** The property that names the lease table, for messages. */
	private static final String TABLE_NAME_PROPERTY = "distlock.jdbc.table-name";

	private static final Logger logger = LoggerFactory.getLogger(JdbcTableLockProvider.class);

	private final NamedParameterJdbcTemplate jdbc;

	private final String tableName;

	private final LeaseTableFailures failures;

	private final LeaseGrant grants;

	private final BatchExtension batches;

	private final LeaseTableSchema schema;

	private final Map<DatabaseKind, TableDialect> dialects;

	private volatile @Nullable TableDialect dialect;

	private final LockConnectionFactory listenConnections;

	private volatile @Nullable Set<ProviderCapability> capabilities;

	private volatile @Nullable PostgresWakeups wakeups; // written under this

	private boolean closed; // guarded by this

	private final Handoffs handoffs = new Handoffs();

	/**
	 * A provider on the table {@value #DEFAULT_TABLE_NAME}.
	 * @param dataSource the application's data source
	 */
	public JdbcTableLockProvider(DataSource dataSource) {
		this(dataSource, DEFAULT_TABLE_NAME);
	}

	/**
	 * A provider on the given table, for the database detected on first use.
	 * @param dataSource the application's data source
	 * @param tableName the lease table, optionally schema-qualified ({@code locks.distlock_lock});
	 * letters, digits and underscores only, used as written (unquoted); the rule is {@link TableName}'s
	 * @throws LockConfigurationException if the table name is not a plain SQL identifier
	 */
	public JdbcTableLockProvider(DataSource dataSource, String tableName) {
		this(dataSource, tableName, null);
	}

	/**
	 * A provider on the given table for a known kind of database, skipping detection;
	 * {@link DatabaseKind#OTHER} forces standard SQL.
	 * @param dataSource the application's data source
	 * @param tableName the lease table, as for {@link #JdbcTableLockProvider(DataSource, String)}
	 * @param databaseKind the database behind the data source, or {@code null} to detect it on first use
	 * @throws LockConfigurationException if the table name is not a plain SQL identifier
	 */
	public JdbcTableLockProvider(DataSource dataSource, String tableName, @Nullable DatabaseKind databaseKind) {
		this(dataSource, tableName, databaseKind, null);
	}

	/**
	 * A provider on the given table, with its own way to open the listen connection that wakes
	 * waiters on PostgreSQL.
	 * @param dataSource the application's data source
	 * @param tableName the lease table, as for {@link #JdbcTableLockProvider(DataSource, String)}
	 * @param databaseKind the database behind the data source, or {@code null} to detect it on first use
	 * @param listenConnections opens the one connection that listens for releases on PostgreSQL, kept
	 * open while the provider lives (e.g. {@link LockConnectionFactory#ofDriver}), or {@code null} to
	 * take it from the data source (then one pooled connection stays out of the pool)
	 * @throws LockConfigurationException if the table name is not a plain SQL identifier
	 */
	public JdbcTableLockProvider(DataSource dataSource, String tableName, @Nullable DatabaseKind databaseKind,
			@Nullable LockConnectionFactory listenConnections) {
		TableName.check(TABLE_NAME_PROPERTY, tableName);
		this.dialects = TableDialect.forEveryDatabase(tableName);
		this.jdbc = new NamedParameterJdbcTemplate(new JdbcTemplate(new AutoCommitDataSource(dataSource)));
		this.tableName = tableName;
		this.failures = new LeaseTableFailures(tableName);
		this.grants = new LeaseGrant(this.jdbc);
		this.batches = new BatchExtension(this.jdbc);
		this.schema = new LeaseTableSchema(this.jdbc.getJdbcOperations(), tableName, this.failures);
		this.dialect = (databaseKind != null) ? this.dialects.get(databaseKind) : null;
		this.listenConnections = (listenConnections != null) ? listenConnections
				: LockConnectionFactory.ofDataSource(dataSource);
	}

	@Override
	public String id() {
		return "jdbc-table";
	}

	/** The lease table's name. */
	public String tableName() {
		return this.tableName;
	}

	/**
	 * Creates the lease table unless it exists, from {@code schema-<database>.sql} beside this class.
	 * Idempotent, and safe when several instances start at once.
	 * @throws LockBackendException if the table is missing and cannot be created
	 */
	public void initializeSchema() {
		this.schema.createIfMissing(dialect("creating table '" + this.tableName + "'", null));
	}

	@Override
	public Optional<Lease> tryAcquire(LeaseRequest request) {
		TableDialect dialect = dialect("acquiring", request.lockId());
		// Only once this instance has waited on PostgreSQL: hand-offs (see Handoffs).
		PostgresWakeups wakeups = startedWakeups();
		String lockKey = (wakeups != null) ? StoredLockId.key(request.lockId()) : "";
		boolean waited = false;
		if (wakeups != null) {
			this.handoffs.beforeAttempt(lockKey, AdvisoryLockKey.of(request.lockId()), wakeups::onAnnounced);
			waited = wakeups.isWaitedFor(request.lockId());
		}
		OptionalLong token;
		try {
			token = this.grants.attempt(dialect, request, waited);
		}
		catch (DataAccessException ex) {
			throw this.failures.failed("acquiring", request.lockId(), dialect, ex);
		}
		if (token.isEmpty()) {
			logger.debug("Lock '{}' is busy", request.lockId());
			return Optional.empty();
		}
		if (wakeups != null) {
			this.handoffs.granted(lockKey, request.owner(), token.getAsLong(), waited);
		}
		logger.debug("Granted lock '{}' to {} with fencing token {}", request.lockId(), request.owner(),
				token.getAsLong());
		return Optional.of(new Lease(request.lockId(), request.owner(), token.getAsLong(), request.leaseTime()));
	}

	@Override
	public boolean extend(Lease lease, Duration leaseTime) {
		MapSqlParameterSource parameters = ownerParameters(lease).addValue("leaseMillis", leaseMillis(leaseTime));
		boolean extended = update("extending", lease.lockId(), TableStatement.EXTEND, parameters) == 1;
		logger.debug("Extending lock '{}' by {}: {}", lease.lockId(), leaseTime, extended ? "extended" : "lost");
		return extended;
	}

	@Override
	public Set<Lease> extendAll(Collection<Lease> leases) {
		if (leases.isEmpty()) {
			return new LinkedHashSet<>();
		}
		String what = "extending " + leases.size() + " leases, the first on";
		String first = leases.iterator().next().lockId();
		TableDialect dialect = dialect(what, first);
		try {
			Set<Lease> held = this.batches.extend(dialect, leases);
			logger.debug("Extended {} of {} leases", held.size(), leases.size());
			return held;
		}
		catch (DataAccessException ex) {
			throw this.failures.failed(what, first, dialect, ex);
		}
	}

	@Override
	public void release(Lease lease) {
		boolean released = free("releasing", lease.lockId(), TableStatement.RELEASE, ownerParameters(lease));
		if (released && startedWakeups() != null) {
			this.handoffs.released(StoredLockId.key(lease.lockId()), lease.owner());
		}
		logger.debug("Releasing lock '{}' held by {}: {}", lease.lockId(), lease.owner(),
				released ? "released" : "not held");
	}

	/**
	 * Batch extension, listing, force-release, and on PostgreSQL release notifications. Decided on
	 * the first call, then fixed: see the class description.
	 */
	@Override
	public Set<ProviderCapability> capabilities() {
		Set<ProviderCapability> decided = this.capabilities;
		if (decided == null) {
			synchronized (this) {
				decided = this.capabilities;
				if (decided == null) {
					decided = decideCapabilities();
					this.capabilities = decided;
				}
			}
		}
		return decided;
	}

	private Set<ProviderCapability> decideCapabilities() {
		if (!pgJdbcPresent) {
			return CAPABILITIES;
		}
		TableDialect dialect;
		try {
			dialect = dialect("finding out whether waiters can be notified", null);
		}
		catch (LockBackendException ex) {
			logger.warn("jdbc-table cannot tell whether the database is PostgreSQL (it is not reachable), so waiters "
					+ "poll instead of being notified of releases until the provider is built again; give it the "
					+ "database kind to avoid this: {}", ex.getMessage());
			return CAPABILITIES;
		}
		return dialect.notifiesReleases() ? NOTIFIED_CAPABILITIES : CAPABILITIES;
	}

	/**
	 * On PostgreSQL, calls the listener when the lock is released or force-released by any instance,
	 * or when its holder's lease expires; elsewhere never.
	 */
	@Override
	public ReleaseSubscription onRelease(String lockId, Runnable listener) {
		if (!capabilities().contains(ProviderCapability.RELEASE_NOTIFICATIONS)) {
			return ReleaseSubscription.NONE;
		}
		PostgresWakeups wakeups = wakeups();
		return (wakeups != null) ? wakeups.register(lockId, listener) : ReleaseSubscription.NONE;
	}

	/** The wake-ups if a waiter started them and the provider is open, else {@code null}. */
	private @Nullable PostgresWakeups startedWakeups() {
		return this.wakeups;
	}

	/** The wake-ups on PostgreSQL, started with the first waiter; {@code null} once closed. */
	synchronized @Nullable PostgresWakeups wakeups() {
		if (this.wakeups == null && !this.closed) {
			TableDialect dialect = dialect("listening for releases", null);
			this.wakeups = new PostgresWakeups(this.listenConnections, dialect.sql(TableStatement.LISTEN),
					(lockKey) -> millisLeft(dialect, lockKey));
		}
		return this.wakeups;
	}

	private OptionalLong millisLeft(TableDialect dialect, String lockKey) {
		List<Long> left = this.jdbc.queryForList(dialect.sql(TableStatement.MILLIS_LEFT),
				new MapSqlParameterSource("lockKey", lockKey), Long.class);
		return (left.isEmpty() || left.get(0) == null) ? OptionalLong.empty() : OptionalLong.of(left.get(0));
	}

	/** Stops the wake-ups' listen connection and timer, if they were started. */
	@Override
	public void close() {
		PostgresWakeups started;
		synchronized (this) {
			this.closed = true;
			started = this.wakeups;
			this.wakeups = null;
		}
		if (started != null) {
			started.close();
		}
	}

	@Override
	public boolean forceRelease(String lockId) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("lockKey", StoredLockId.key(lockId));
		return free("force-releasing", lockId, TableStatement.FORCE_RELEASE, parameters);
	}

	@Override
	public Optional<BackendLock> inspect(String lockId) {
		TableDialect dialect = dialect("inspecting", lockId);
		MapSqlParameterSource parameters = new MapSqlParameterSource("lockKey", StoredLockId.key(lockId));
		try {
			List<BackendLock> locks = this.jdbc.query(dialect.sql(TableStatement.INSPECT), parameters,
					(row, n) -> new BackendLock(lockId, row.getString("owner"), row.getLong("fencing_token"),
							dialect.readInstant(row, "expires_at")));
			return locks.stream().findFirst();
		}
		catch (DataAccessException ex) {
			throw this.failures.failed("inspecting", lockId, dialect, ex);
		}
	}

	@Override
	public List<BackendLock> listLocks() {
		TableDialect dialect = dialect("listing locks in table '" + this.tableName + "'", null);
		try {
			return this.jdbc.getJdbcOperations()
				.query(dialect.sql(TableStatement.LIST), (row, n) -> new BackendLock(row.getString("lock_id"), row.getString("owner"),
						row.getLong("fencing_token"), dialect.readInstant(row, "expires_at")));
		}
		catch (DataAccessException ex) {
			throw this.failures.failed("listing locks in table '" + this.tableName + "'", null, dialect, ex);
		}
	}

	@Override
	public void checkHealth() {
		TableDialect dialect = dialect("checking table '" + this.tableName + "'", null);
		try {
			this.jdbc.getJdbcOperations().queryForObject(dialect.sql(TableStatement.HEALTH), Long.class);
		}
		catch (DataAccessException ex) {
			throw this.failures.failed("checking table '" + this.tableName + "'", null, dialect, ex);
		}
	}

	/**
	 * A lease time in whole milliseconds, rounded up: the database must never end a lease before
	 * the engine believes it ends.
	 */
	static long leaseMillis(Duration leaseTime) {
		long millis = leaseTime.toMillis();
		return leaseTime.minusMillis(millis).isZero() ? millis : millis + 1;
	}

	private MapSqlParameterSource ownerParameters(Lease lease) {
		return new MapSqlParameterSource().addValue("lockKey", StoredLockId.key(lease.lockId()))
			.addValue("owner", lease.owner());
	}

	private int update(String operation, String lockId, TableStatement statement, MapSqlParameterSource parameters) {
		TableDialect dialect = dialect(operation, lockId);
		try {
			return this.jdbc.update(dialect.sql(statement), parameters);
		}
		catch (DataAccessException ex) {
			throw this.failures.failed(operation, lockId, dialect, ex);
		}
	}

	/**
	 * Runs a release or force-release; on PostgreSQL it notifies waiters in a {@code RETURNING}
	 * clause, so it is a query returning the freed row.
	 * @return whether a row was freed
	 */
	private boolean free(String operation, String lockId, TableStatement statement, MapSqlParameterSource parameters) {
		TableDialect dialect = dialect(operation, lockId);
		try {
			if (dialect.notifiesReleases()) {
				parameters.addValue("notifyKey", String.valueOf(AdvisoryLockKey.of(lockId)));
				return !this.jdbc.query(dialect.sql(statement), parameters, (row, n) -> Boolean.TRUE).isEmpty();
			}
			return this.jdbc.update(dialect.sql(statement), parameters) == 1;
		}
		catch (DataAccessException ex) {
			throw this.failures.failed(operation, lockId, dialect, ex);
		}
	}

	/** The dialect, detected from the database on first use (not at startup: it may be down). */
	private TableDialect dialect(String operation, @Nullable String lockId) {
		TableDialect dialect = this.dialect;
		if (dialect == null) {
			try {
				DatabaseKind kind = this.jdbc.getJdbcOperations()
					.execute((ConnectionCallback<DatabaseKind>) (connection) -> DatabaseKind
						.fromProductName(connection.getMetaData().getDatabaseProductName()));
				dialect = this.dialects.get((kind != null) ? kind : DatabaseKind.OTHER);
				this.dialect = dialect;
			}
			catch (DataAccessException ex) {
				throw this.failures.failed(operation, lockId, null, ex);
			}
		}
		return dialect;
	}

}
