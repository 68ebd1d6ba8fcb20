package dev.distlock.jdbc.postgres;

import org.junit.jupiter.api.BeforeAll;

import dev.distlock.jdbc.session.TestDatabases;
import dev.distlock.spi.LockProvider;
import dev.distlock.test.LockProviderContractTest;

/**
 * The {@code postgres} provider meets the contract on a real PostgreSQL; every instance has its own
 * DataSource and lock connections.
 */
class PostgresAdvisoryLockProviderContractTest extends LockProviderContractTest {

	@BeforeAll
	static void createSchema() {
		TestDatabases.initializeSchema(TestDatabases.POSTGRES);
	}

	@Override
	protected LockProvider createProvider(int instance) {
		return TestDatabases.provider(TestDatabases.POSTGRES, "tck-instance-" + instance);
	}

}
