package dev.distlock.jdbc.postgres;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;

import dev.distlock.jdbc.session.LockConnectionFactory;
import dev.distlock.jdbc.session.SessionLockProviderContractTest;
import dev.distlock.jdbc.session.SessionLockSettings;
import dev.distlock.jdbc.session.TestDatabases;
import dev.distlock.spi.LockProvider;

/** The {@code postgres} provider meets the contract on a real PostgreSQL. */
class PostgresAdvisoryLockProviderContractTest extends SessionLockProviderContractTest {

	PostgresAdvisoryLockProviderContractTest() {
		super(TestDatabases.POSTGRES);
	}

	@BeforeAll
	static void createSchema() {
		TestDatabases.initializeSchema(TestDatabases.POSTGRES);
	}

	@Override
	protected LockProvider newProvider(DataSource dataSource, LockConnectionFactory lockConnections,
			SessionLockSettings settings) {
		return new PostgresAdvisoryLockProvider(dataSource, lockConnections, settings);
	}

	@Override
	protected String unreachableUrl() {
		return "jdbc:postgresql://127.0.0.1:1/test?connectTimeout=2";
	}

}
