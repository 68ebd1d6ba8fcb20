package dev.distlock.jdbc.mysql;

import org.junit.jupiter.api.BeforeAll;

import dev.distlock.jdbc.session.TestDatabases;
import dev.distlock.spi.LockProvider;
import dev.distlock.test.LockProviderContractTest;

/**
 * The {@code mysql} provider meets the contract on a real MariaDB; every instance has its own
 * DataSource and lock connections.
 */
class MySqlLockProviderContractTest extends LockProviderContractTest {

	@BeforeAll
	static void createSchema() {
		TestDatabases.initializeSchema(TestDatabases.MYSQL);
	}

	@Override
	protected LockProvider createProvider(int instance) {
		return TestDatabases.provider(TestDatabases.MYSQL, "tck-instance-" + instance);
	}

}
