package dev.distlock.jdbc;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.distlock.jdbc.mysql.MySqlLockProvider;
import dev.distlock.jdbc.postgres.PostgresAdvisoryLockProvider;
import dev.distlock.jdbc.session.LockConnectionFactory;
import dev.distlock.jdbc.session.SessionLockSettings;
import dev.distlock.jdbc.table.JdbcTableLockProvider;

import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Every provider reads all of its SQL when it is built, so building each one without a database
 * proves that no statement or schema file of any dialect is missing or malformed.
 */
class SqlResourcesTests {

	private final DriverManagerDataSource neverConnected = new DriverManagerDataSource("jdbc:h2:mem:never-used");

	private final LockConnectionFactory noConnections = () -> {
		throw new AssertionError("building a provider must not connect");
	};

	@Test
	void everyProviderFindsAllItsStatementsAndSchemaScriptsWhenItIsBuilt() {
		SessionLockSettings settings = SessionLockSettings.defaults("resources");
		assertThatNoException().isThrownBy(() -> {
			new PostgresAdvisoryLockProvider(this.neverConnected, this.noConnections, settings).close();
			new MySqlLockProvider(this.neverConnected, this.noConnections, settings).close();
			new JdbcTableLockProvider(this.neverConnected, "app.locks.distlock_lock").close();
		});
	}

}
