package dev.distlock.jdbc.postgres;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeAll;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.distlock.jdbc.session.KillableLockConnections;
import dev.distlock.jdbc.session.LockConnectionFactory;
import dev.distlock.jdbc.session.SessionLockSettings;
import dev.distlock.jdbc.session.TestDatabases;
import dev.distlock.spi.LockProvider;
import dev.distlock.test.LockProviderContractTest;

/**
 * The {@code postgres} provider meets the contract on a real PostgreSQL; every instance has its own
 * DataSource and lock connections, which the TCK can kill behind the provider's back.
 */
class PostgresAdvisoryLockProviderContractTest extends LockProviderContractTest {

	@BeforeAll
	static void createSchema() {
		TestDatabases.initializeSchema(TestDatabases.POSTGRES);
	}

	private final Map<LockProvider, KillableLockConnections> connections = new ConcurrentHashMap<>();

	@Override
	protected LockProvider createProvider(int instance) {
		KillableLockConnections lockConnections = new KillableLockConnections(TestDatabases.POSTGRES);
		LockProvider provider = new PostgresAdvisoryLockProvider(TestDatabases.dataSource(TestDatabases.POSTGRES), lockConnections,
				SessionLockSettings.defaults("tck-instance-" + instance));
		this.connections.put(provider, lockConnections);
		return provider;
	}

	@Override
	protected void killSessions(LockProvider provider) {
		this.connections.get(provider).killAll();
	}

	@Override
	protected LockProvider createUnreachableProvider() {
		String url = "jdbc:postgresql://127.0.0.1:1/test?connectTimeout=2";
		return new PostgresAdvisoryLockProvider(new DriverManagerDataSource(url), LockConnectionFactory.ofDriver(url, null, null),
				SessionLockSettings.defaults("tck-unreachable"));
	}

}
