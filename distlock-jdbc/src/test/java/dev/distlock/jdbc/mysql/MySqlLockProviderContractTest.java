package dev.distlock.jdbc.mysql;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;

import dev.distlock.jdbc.session.LockConnectionFactory;
import dev.distlock.jdbc.session.SessionLockProviderContractTest;
import dev.distlock.jdbc.session.SessionLockSettings;
import dev.distlock.jdbc.session.TestDatabases;
import dev.distlock.spi.LockProvider;

/** The {@code mysql} provider meets the contract on a real MariaDB. */
class MySqlLockProviderContractTest extends SessionLockProviderContractTest {

	MySqlLockProviderContractTest() {
		super(TestDatabases.MYSQL);
	}

	@BeforeAll
	static void createSchema() {
		TestDatabases.initializeSchema(TestDatabases.MYSQL);
	}

	@Override
	protected LockProvider newProvider(DataSource dataSource, LockConnectionFactory lockConnections,
			SessionLockSettings settings) {
		return new MySqlLockProvider(dataSource, lockConnections, settings);
	}

	@Override
	protected String unreachableUrl() {
		return "jdbc:mariadb://127.0.0.1:1/test?connectTimeout=2000";
	}

}
