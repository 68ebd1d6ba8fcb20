package dev.distlock.jdbc.table;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.distlock.LockBackendException;
import dev.distlock.jdbc.DatabaseKind;
import dev.distlock.spi.BackendLock;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.test.LockProviderContractTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The TCK plus the lease table's own promises, against a real database. Subclasses differ only in
 * the database they connect to. Each run works in a table of its own, created with the provider's
 * {@link JdbcTableLockProvider#initializeSchema()} and dropped afterwards, so runs on the shared
 * servers never meet.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcTableLockProviderContractTests extends LockProviderContractTest {

	private final String table = "distlock_tck_" + HexFormat.of().toHexDigits(UUID.randomUUID().getLeastSignificantBits()).substring(0, 10);

	private final Map<Integer, HikariDataSource> pools = new ConcurrentHashMap<>();

	private final Map<Integer, StatementCountingDataSource> dataSources = new ConcurrentHashMap<>();

	/** Connection settings for the database under test; the pool name tells instances apart. */
	protected abstract HikariConfig connectionSettings();

	/** The schema resource the provider should point users at. */
	protected abstract String schemaResource();

	/** How many statements one acquisition sends on this database. */
	protected abstract int statementsPerAcquire();

	/**
	 * A query giving the milliseconds from the database's now to the row's {@code expires_at}, with
	 * {@code TABLE} for the table and one parameter, the lock key.
	 */
	protected abstract String millisUntilExpiryQuery();

	/** The database kind to force on the provider, or {@code null} to let it detect it. */
	protected @Nullable DatabaseKind databaseKind() {
		return null;
	}

	@BeforeAll
	void createTable() {
		new JdbcTableLockProvider(dataSource(0), this.table, databaseKind()).initializeSchema();
	}

	@AfterAll
	void dropTableAndClosePools() {
		try {
			new JdbcTemplate(dataSource(0)).execute("DROP TABLE " + this.table);
		}
		finally {
			this.pools.values().forEach(HikariDataSource::close);
		}
	}

	@Override
	protected LockProvider createProvider(int instance) {
		return new JdbcTableLockProvider(dataSource(instance), this.table, databaseKind());
	}

	/** A database that cannot be reached: a loopback port where nothing listens. */
	@Override
	protected LockProvider createUnreachableProvider() {
		return new JdbcTableLockProvider(
				new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/test?connectTimeout=2", "postgres", ""),
				this.table, databaseKind());
	}

	/** Instance {@code n}'s data source: a pool of its own, as separate application instances have. */
	protected final StatementCountingDataSource dataSource(int instance) {
		return this.dataSources.computeIfAbsent(instance, (n) -> {
			HikariConfig config = connectionSettings();
			config.setPoolName("jdbc-table-tck-" + n);
			config.setMaximumPoolSize(4);
			config.setMinimumIdle(1);
			HikariDataSource pool = new HikariDataSource(config);
			this.pools.put(n, pool);
			return new StatementCountingDataSource(pool);
		});
	}

	protected static HikariConfig connectTo(String url, String username, String password) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setUsername(username);
		config.setPassword(password);
		return config;
	}

	protected static String env(String name, String defaultValue) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : defaultValue;
	}

	@Test
	void aMissingTableFailsWithAMessageThatSaysHowToCreateIt() {
		String missing = "distlock_missing_" + UUID.randomUUID().toString().substring(0, 8).replace('-', '_');
		JdbcTableLockProvider provider = new JdbcTableLockProvider(dataSource(0), missing, databaseKind());
		String id = lockId("missing-table");
		assertThatExceptionOfType(LockBackendException.class)
			.isThrownBy(() -> provider.tryAcquire(new LeaseRequest(id, newOwner(0), LONG_LEASE)))
			.withMessageContaining("acquiring lock '" + id + "'")
			.withMessageContaining("'" + missing + "' does not exist")
			.withMessageContaining(schemaResource())
			.withMessageContaining("distlock.jdbc.initialize-schema=always");
		assertThatExceptionOfType(LockBackendException.class).isThrownBy(provider::checkHealth)
			.withMessageContaining("does not exist")
			.withMessageContaining(schemaResource());
	}

	@Test
	void initializingTheSchemaAgainIsHarmless() {
		JdbcTableLockProvider provider = new JdbcTableLockProvider(dataSource(1), this.table, databaseKind());
		provider.initializeSchema();
		provider.initializeSchema();
		Lease lease = acquire(0, lockId("after-init"), LONG_LEASE);
		assertThat(provider.inspect(lease.lockId())).map(BackendLock::owner).contains(lease.owner());
	}

	@Test
	void releaseKeepsTheRowSoTheFencingTokenSurvives() {
		String id = lockId("token-survives");
		Lease first = acquire(0, id, LONG_LEASE);
		instance(0).release(first);
		assertThat(row(id)).containsEntry("owner", null).containsEntry("fencing_token", first.fencingToken());
		Lease second = acquire(1, id, LONG_LEASE);
		assertThat(second.fencingToken()).isEqualTo(first.fencingToken() + 1);
		assertThat(instance(2).forceRelease(id)).isTrue();
		assertThat(row(id)).containsEntry("owner", null).containsEntry("fencing_token", second.fencingToken());
		assertThat(acquire(2, id, LONG_LEASE).fencingToken()).isEqualTo(second.fencingToken() + 1);
	}

	@Test
	void theLeaseEndsLeaseTimeAfterTheDatabaseClocksNow() {
		String id = lockId("database-clock");
		acquire(0, id, Duration.ofSeconds(60));
		Long millisLeft = new JdbcTemplate(dataSource(0)).queryForObject(
				millisUntilExpiryQuery().replace("TABLE", this.table), Long.class, StoredLockId.key(id));
		// Judged against the database's now by the database: only a generous allowance for the
		// time this test took between the two statements.
		assertThat(millisLeft).isBetween(50_000L, 60_001L);
	}

	@Test
	void aLeaseGrantedInsideAnApplicationTransactionIsVisibleAtOnceAndNotRolledBack() throws Exception {
		String id = lockId("in-transaction");
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource(0)));
		transaction.executeWithoutResult((status) -> {
			new JdbcTemplate(dataSource(0)).queryForObject("SELECT COUNT(*) FROM " + this.table, Long.class);
			acquire(0, id, LONG_LEASE);
			// Another instance sees the lease while the application's transaction is still open (a
			// lease written inside that transaction would block or be invisible).
			assertThat(otherInstanceTriesToAcquire(id)).isEmpty();
			status.setRollbackOnly();
		});
		assertThat(otherInstanceTriesToAcquire(id)).as("after the application's rollback").isEmpty();
	}

	@Test
	void worksOnAPoolWhoseConnectionsDoNotAutoCommit() {
		HikariConfig config = connectionSettings();
		config.setPoolName("jdbc-table-tck-no-auto-commit");
		config.setMaximumPoolSize(2);
		config.setAutoCommit(false);
		HikariDataSource pool = new HikariDataSource(config);
		this.pools.put(-1, pool);
		JdbcTableLockProvider provider = new JdbcTableLockProvider(pool, this.table, databaseKind());
		String id = lockId("no-auto-commit");
		Lease lease = provider.tryAcquire(new LeaseRequest(id, newOwner(0), LONG_LEASE)).orElseThrow();
		assertThat(tryAcquire(1, id, LONG_LEASE)).as("the grant was committed").isEmpty();
		assertThat(provider.extend(lease, LONG_LEASE)).isTrue();
		provider.release(lease);
		assertThat(tryAcquire(1, id, LONG_LEASE)).as("the release was committed").isPresent();
	}

	private Optional<Lease> otherInstanceTriesToAcquire(String id) {
		try {
			return CompletableFuture.supplyAsync(() -> tryAcquire(1, id, LONG_LEASE)).get(20, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError("another instance could not try the lock", ex);
		}
	}

	@Test
	void acquiringTakesAtMostTwoStatementsWhetherNewBusyOrFree() {
		StatementCountingDataSource counted = dataSource(0);
		String id = lockId("round-trips");
		counted.resetCount();
		Lease lease = acquire(0, id, LONG_LEASE);
		assertThat(counted.statements()).as("a new lock").isEqualTo(statementsPerAcquire());
		counted.resetCount();
		assertThat(tryAcquire(0, id, LONG_LEASE)).isEmpty();
		assertThat(counted.statements()).as("a busy lock").isEqualTo(statementsPerAcquire());
		instance(0).release(lease);
		counted.resetCount();
		acquire(0, id, LONG_LEASE);
		assertThat(counted.statements()).as("a released lock").isEqualTo(statementsPerAcquire());
	}

	@Test
	void extendsAThousandLeasesInOneStatementAndFindsLostOnesWithOneMore() {
		List<Lease> leases = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			leases.add(acquire(0, lockId("thousand-" + i), LONG_LEASE));
		}
		StatementCountingDataSource counted = dataSource(0);
		counted.resetCount();
		assertThat(instance(0).extendAll(leases)).hasSize(1000);
		assertThat(counted.statements()).as("all held").isEqualTo(1);

		for (int i = 0; i < 10; i++) {
			assertThat(instance(1).forceRelease(leases.get(i * 100).lockId())).isTrue();
		}
		counted.resetCount();
		Set<Lease> held = instance(0).extendAll(leases);
		assertThat(held).hasSize(990).doesNotContain(leases.get(0), leases.get(500));
		assertThat(counted.statements()).as("some lost").isLessThanOrEqualTo(2);
	}

	@Test
	void extendAllGivesEachLeaseItsOwnLeaseTime() {
		Lease shorter = acquire(0, lockId("own-lease-time-1"), Duration.ofSeconds(60));
		Lease longer = acquire(0, lockId("own-lease-time-2"), Duration.ofSeconds(600));
		assertThat(instance(0).extendAll(List.of(shorter, longer))).containsExactly(shorter, longer);
		Duration difference = Duration.between(instance(1).inspect(shorter.lockId()).orElseThrow().expiresAt(),
				instance(1).inspect(longer.lockId()).orElseThrow().expiresAt());
		assertThat(difference).isBetween(Duration.ofSeconds(530), Duration.ofSeconds(541));
	}

	@Test
	void listsHeldLocksWithTheirIdsOwnersTokensAndExpiry() {
		Lease lease = acquire(0, lockId("listed-ünïcödé"), LONG_LEASE);
		Lease released = acquire(0, lockId("listed-released"), LONG_LEASE);
		instance(0).release(released);
		List<BackendLock> listed = instance(1).listLocks();
		assertThat(listed).extracting(BackendLock::lockId).contains(lease.lockId()).doesNotContain(released.lockId());
		BackendLock seen = listed.stream().filter((lock) -> lock.lockId().equals(lease.lockId())).findFirst().orElseThrow();
		assertThat(seen.owner()).isEqualTo(lease.owner());
		assertThat(seen.fencingToken()).isEqualTo(lease.fencingToken());
		assertThat(seen.expiresAt()).isNotNull();
	}

	private Map<String, Object> row(String lockId) {
		Map<String, Object> row = new JdbcTemplate(dataSource(0)).queryForMap(
				"SELECT owner, fencing_token FROM " + this.table + " WHERE lock_key = ?", StoredLockId.key(lockId));
		// Column labels come back in the database's case; numbers as the driver likes.
		Map<String, Object> normalized = new HashMap<>();
		row.forEach((column, value) -> normalized.put(column.toLowerCase(Locale.ROOT),
				(value instanceof Number number) ? (Object) number.longValue() : value));
		return normalized;
	}

}
