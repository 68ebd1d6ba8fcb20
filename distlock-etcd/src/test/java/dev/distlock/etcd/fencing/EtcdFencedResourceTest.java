package dev.distlock.etcd.fencing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.distlock.FencedResource;
import dev.distlock.LockTemplate;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.etcd.EtcdLockProvider;
import dev.distlock.jdbc.fencing.JdbcFencedResource;
import dev.distlock.test.FencedResourceContractTest;
import dev.distlock.test.JdbcFencedLedger;
import dev.distlock.test.server.EtcdCluster;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@link FencedResource} contract with locks from etcd (a private single member) and the
 * resource in the shared PostgreSQL. Above all: a holder in a child JVM, SIGSTOPped until etcd
 * expired its session lease, is refused once the next holder wrote — etcd's create revision is the
 * token, and it only grows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdFencedResourceTest extends FencedResourceContractTest {

	/** Short, so the paused holder's key expires in seconds (etcd's minimum is about 2 s). */
	static final Duration SESSION_TTL = Duration.ofSeconds(3);

	static final String KEY_PREFIX = "/distlock-fence/";

	static final String FENCE_TABLE = "distlock_fence_etcd_test";

	static final String LEDGER_TABLE = "distlock_fence_etcd_ledger";

	static final String URL = env("DISTLOCK_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");

	static final String USER = env("DISTLOCK_TEST_POSTGRES_USER", "postgres");

	private final Map<Integer, HikariDataSource> pools = new ConcurrentHashMap<>();

	private final Map<Integer, JdbcFencedResource> fences = new ConcurrentHashMap<>();

	private EtcdCluster etcd;

	private EtcdLockProvider provider;

	private LeaseWatchdog watchdog;

	private LockEngine engine;

	private JdbcFencedLedger ledger;

	@BeforeAll
	void start() {
		assumeTrue(EtcdCluster.isOnPath(), "etcd is not on the PATH (scripts/ensure-services.sh installs it)");
		this.etcd = EtcdCluster.start(1);
		this.provider = EtcdLockProvider.connect(this.etcd.endpoints(), KEY_PREFIX, SESSION_TTL,
				EtcdLockProvider.DEFAULT_REQUEST_TIMEOUT);
		this.watchdog = new LeaseWatchdog();
		this.engine = new LockEngine(this.provider, this.watchdog, EngineSettings.defaults("second-holder"),
				LockEngineObserver.NOOP);
		fencedResource(0).initializeSchema();
		this.ledger = new JdbcFencedLedger(dataSource(0), fencedResource(0), LEDGER_TABLE);
		this.ledger.createTable();
	}

	@AfterAll
	void stop() {
		if (this.watchdog != null) {
			this.watchdog.close();
		}
		if (this.provider != null) {
			this.provider.close();
		}
		if (this.etcd != null) {
			this.etcd.close();
		}
		this.pools.values().forEach(HikariDataSource::close);
	}

	private HikariDataSource dataSource(int context) {
		return this.pools.computeIfAbsent(context, (n) -> {
			HikariConfig config = new HikariConfig();
			config.setJdbcUrl(URL);
			config.setUsername(USER);
			config.setPoolName("etcd-fence-" + n);
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
		new TransactionTemplate(new DataSourceTransactionManager(dataSource(context)))
			.executeWithoutResult((status) -> work.run());
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
		return List.of(EtcdFencedHolderProcess.class.getName(), this.etcd.endpoints(), URL, USER, lockId, resource,
				writer);
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

}
