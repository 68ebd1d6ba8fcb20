package dev.distlock.jdbc.fencing;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.distlock.FencedResource;
import dev.distlock.LockBackendException;
import dev.distlock.LockConfigurationException;
import dev.distlock.LockTemplate;
import dev.distlock.StaleFencingTokenException;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.jdbc.DatabaseKind;
import dev.distlock.jdbc.table.JdbcTableLockProvider;
import dev.distlock.jdbc.table.StatementCountingDataSource;
import dev.distlock.test.FencedResourceContractTest;
import dev.distlock.test.JdbcFencedLedger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The {@link FencedResource} contract for {@link JdbcFencedResource} on one database, plus what
 * only a database can show: the check is part of the caller's transaction, and the schema is
 * created or its absence explained. Each database's test extends this and says how to connect.
 * Locks come from the jdbc-table provider (a lease that expires while its holder is frozen).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcFencedResourceContractTests extends FencedResourceContractTest {

	/** Distinct from the tables of other tests on the shared servers. */
	static final String FENCE_TABLE = "distlock_fence_test";

	static final String LOCK_TABLE = "distlock_fence_test_lock";

	static final String LEDGER_TABLE = "distlock_fence_test_ledger";

	private final Map<Integer, HikariDataSource> pools = new ConcurrentHashMap<>();

	private final Map<Integer, JdbcFencedResource> fences = new ConcurrentHashMap<>();

	private final Map<Integer, TransactionTemplate> transactions = new ConcurrentHashMap<>();

	private LeaseWatchdog watchdog;

	private LockEngine engine;

	private JdbcFencedLedger ledger;

	protected abstract String url();

	protected abstract String user();

	protected abstract String password();

	protected abstract DatabaseKind databaseKind();

	/** The schema file named when the table is missing. */
	protected abstract String schemaFile();

	/** Statements a check sends when it records the token (DESIGN: 1 on PostgreSQL, at most 2 elsewhere). */
	protected abstract int statementsPerRecordedCheck();

	@BeforeAll
	void createTables() {
		JdbcFencedResource fence = fencedResource(0);
		fence.initializeSchema();
		JdbcTableLockProvider locks = new JdbcTableLockProvider(dataSource(0), LOCK_TABLE);
		locks.initializeSchema();
		this.watchdog = new LeaseWatchdog();
		this.engine = new LockEngine(locks, this.watchdog, EngineSettings.defaults("second-holder"),
				LockEngineObserver.NOOP);
		this.ledger = new JdbcFencedLedger(dataSource(0), fence, LEDGER_TABLE);
		this.ledger.createTable();
	}

	@AfterAll
	void closePools() {
		if (this.watchdog != null) {
			this.watchdog.close();
		}
		this.pools.values().forEach(HikariDataSource::close);
	}

	/** Context {@code n}'s data source: a pool of its own, as separate application instances have. */
	protected final DataSource dataSource(int context) {
		return this.pools.computeIfAbsent(context, (n) -> {
			HikariConfig config = new HikariConfig();
			config.setJdbcUrl(url());
			config.setUsername(user());
			config.setPassword(password());
			config.setPoolName("fence-" + n);
			config.setMaximumPoolSize(8);
			config.setMinimumIdle(1);
			return new HikariDataSource(config);
		});
	}

	@Override
	protected JdbcFencedResource fencedResource(int context) {
		return this.fences.computeIfAbsent(context, (n) -> new JdbcFencedResource(dataSource(n), FENCE_TABLE));
	}

	@Override
	protected void inTransaction(int context, Runnable work) {
		transactions(context).executeWithoutResult((status) -> work.run());
	}

	private TransactionTemplate transactions(int context) {
		return this.transactions.computeIfAbsent(context,
				(n) -> new TransactionTemplate(new DataSourceTransactionManager(dataSource(n))));
	}

	@Override
	protected LockTemplate lockTemplate() {
		return this.engine;
	}

	@Override
	protected void fencedWrite(String resource, String writer) {
		this.ledger.write(resource, writer);
	}

	@Override
	protected List<String> writes(String resource) {
		return this.ledger.writers(resource);
	}

	@Override
	protected List<String> holderProcess(String lockId, String resource, String writer) {
		return List.of(JdbcFencedHolderProcess.class.getName(), url(), user(), password(), LOCK_TABLE, FENCE_TABLE,
				lockId, resource, writer);
	}

	@Test
	void aRollbackAfterTheCheckLeavesTheStoredTokenUnchanged() {
		String resource = resource("rollback");
		fencedResource(0).check(resource, 5);
		assertThatIllegalStateException().isThrownBy(() -> inTransaction(1, () -> {
			fencedResource(1).check(resource, 9);
			throw new IllegalStateException("the protected write failed");
		}));
		fencedResource(0).check(resource, 6);
		assertThatExceptionOfType(StaleFencingTokenException.class).isThrownBy(() -> fencedResource(0).check(resource, 5))
			.satisfies((ex) -> assertThat(ex.getStoredToken()).isEqualTo(6));
	}

	@Test
	void aRefusedCheckRollsBackTheWriteMadeBeforeItInTheSameTransaction() {
		String resource = resource("refused-write");
		fencedResource(0).check(resource, 50);
		JdbcTemplate jdbc = new JdbcTemplate(dataSource(1));
		assertThatExceptionOfType(StaleFencingTokenException.class).isThrownBy(() -> inTransaction(1, () -> {
			jdbc.update("INSERT INTO " + LEDGER_TABLE + " (resource, writer) VALUES (?, ?)", resource, "late");
			fencedResource(1).check(resource, 49);
		}));
		assertThat(writes(resource)).isEmpty();
	}

	@Test
	void aCheckIsVisibleToOtherTransactionsOnlyOnceItsTransactionCommits() {
		String resource = resource("visibility");
		fencedResource(0).check(resource, 1);
		inTransaction(0, () -> {
			fencedResource(0).check(resource, 2);
			// Another instance reads the committed state; the uncommitted token 2 refuses nothing yet.
			assertThat(new JdbcTemplate(dataSource(2)).queryForObject("SELECT token FROM " + FENCE_TABLE
					+ " WHERE resource_key = ?", Long.class, StoredResource.key(resource))).isEqualTo(1);
		});
		assertThatExceptionOfType(StaleFencingTokenException.class).isThrownBy(() -> fencedResource(2).check(resource, 1));
	}

	@Test
	void aCheckSendsOneStatementOnPostgresqlAndAtMostTwoElsewhere() {
		StatementCountingDataSource counting = new StatementCountingDataSource(dataSource(0));
		JdbcFencedResource fence = new JdbcFencedResource(counting, FENCE_TABLE, databaseKind());
		String resource = resource("statements");
		fence.check(resource, 1);
		counting.resetCount();
		fence.check(resource, 2);
		assertThat(counting.statements()).as("an existing resource, higher token").isEqualTo(statementsPerRecordedCheck());
		counting.resetCount();
		fence.check(resource("statements-new"), 1);
		assertThat(counting.statements()).as("a new resource").isEqualTo(statementsPerRecordedCheck());
		counting.resetCount();
		assertThatExceptionOfType(StaleFencingTokenException.class).isThrownBy(() -> fence.check(resource, 1));
		assertThat(counting.statements()).as("a refused token, stored token read for the message").isEqualTo(2);
	}

	@Test
	void aMissingTableFailsAtFirstUseNamingTheSchemaFileAndTheProperty() {
		String missing = "distlock_fence_missing_" + UUID.randomUUID().toString().substring(0, 8);
		JdbcFencedResource fence = new JdbcFencedResource(dataSource(0), missing);
		assertThatExceptionOfType(LockBackendException.class).isThrownBy(() -> fence.check(resource("missing"), 1))
			.withMessageContaining("fencing table '" + missing + "' does not exist")
			.withMessageContaining(schemaFile())
			.withMessageContaining("distlock.jdbc.initialize-schema=always")
			.withMessageContaining("in place of distlock_fence");
	}

	@Test
	void initializeSchemaCreatesTheTableOnceAndIsIdempotent() {
		String table = "distlock_fence_init_" + UUID.randomUUID().toString().substring(0, 8);
		JdbcFencedResource fence = new JdbcFencedResource(dataSource(0), table, databaseKind());
		try {
			fence.initializeSchema();
			fence.initializeSchema();
			fence.check(resource("initialized"), 3);
			assertThatExceptionOfType(StaleFencingTokenException.class)
				.isThrownBy(() -> fence.check(resource("initialized"), 2));
		}
		finally {
			new JdbcTemplate(dataSource(0)).execute("DROP TABLE " + table);
		}
	}

	@Test
	void aTableNameThatIsNotAPlainIdentifierIsRefusedNamingTheProperty() {
		assertThatExceptionOfType(LockConfigurationException.class)
			.isThrownBy(() -> new JdbcFencedResource(dataSource(0), "fence; DROP TABLE x"))
			.withMessageContaining("distlock.fencing.table-name");
	}

}
