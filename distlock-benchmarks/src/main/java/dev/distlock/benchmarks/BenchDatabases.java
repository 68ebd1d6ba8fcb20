package dev.distlock.benchmarks;

import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.distlock.jdbc.mysql.MySqlLockProvider;
import dev.distlock.jdbc.postgres.PostgresAdvisoryLockProvider;
import dev.distlock.jdbc.session.LockConnectionFactory;
import dev.distlock.jdbc.session.SessionLockSettings;
import dev.distlock.jdbc.table.JdbcTableLockProvider;

/**
 * The JDBC subjects' databases (URLs from the command line or the tests' environment variables) and
 * distlock's JDBC providers on them, each instance with its own pool as in an application.
 */
final class BenchDatabases {

	/** The lease table of the {@code jdbc-table} subject, created once per run. */
	static final String LEASE_TABLE = "distlock_bench_" + UUID.randomUUID().toString().substring(0, 8);

	/** Lock connections per instance of the session providers: {@code -Ddistlock.bench.lock-connections}, else the default. */
	private static final int LOCK_CONNECTIONS = Integer.getInteger("distlock.bench.lock-connections",
			SessionLockSettings.DEFAULT_CONNECTIONS);

	private BenchDatabases() {
	}

	private static SessionLockSettings settings() {
		return new SessionLockSettings("bench-" + UUID.randomUUID().toString().substring(0, 8), LOCK_CONNECTIONS,
				SessionLockSettings.DEFAULT_NETWORK_TIMEOUT);
	}

	/** An application's pool: Hikari with its default size (10). */
	static HikariDataSource pool(Database database) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(database.url());
		config.setUsername(database.user());
		config.setPassword(database.password());
		return new HikariDataSource(config);
	}

	static LockConnectionFactory lockConnections(Database database) {
		return LockConnectionFactory.ofDriver(database.url(), database.user(), database.password());
	}

	/** {@code LockTemplate} on the {@code postgres} provider with default settings. */
	static EngineTemplateLock postgres(Database database) {
		HikariDataSource pool = pool(database);
		PostgresAdvisoryLockProvider provider = new PostgresAdvisoryLockProvider(pool, lockConnections(database),
				settings());
		provider.initializeSchema();
		return new EngineTemplateLock(provider, pool::close);
	}

	/** {@code LockTemplate} on the {@code mysql} provider with default settings. */
	static EngineTemplateLock mysql(Database database) {
		HikariDataSource pool = pool(database);
		MySqlLockProvider provider = new MySqlLockProvider(pool, lockConnections(database),
				settings());
		provider.initializeSchema();
		return new EngineTemplateLock(provider, pool::close);
	}

	/** {@code LockTemplate} on the {@code jdbc-table} provider, its lease table in the given database. */
	static EngineTemplateLock jdbcTable(Database database) {
		HikariDataSource pool = pool(database);
		JdbcTableLockProvider provider = new JdbcTableLockProvider(pool, LEASE_TABLE, null, lockConnections(database));
		provider.initializeSchema();
		return new EngineTemplateLock(provider, pool::close);
	}

	/** Creates the peers' tables if missing, from {@code peer-schema-postgresql.sql} (keys differ per run). */
	static void createPeerTables(DataSource dataSource) {
		new ResourceDatabasePopulator(new ClassPathResource("peer-schema-postgresql.sql")).execute(dataSource);
	}

	/** Where a JDBC subject connects. */
	record Database(String url, String user, String password) {

	}

}
