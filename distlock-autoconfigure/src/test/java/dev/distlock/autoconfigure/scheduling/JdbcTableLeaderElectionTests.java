package dev.distlock.autoconfigure.scheduling;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.AfterEach;

/**
 * Leader election on the {@code jdbc-table} provider (a TTL by the database's clock), on
 * PostgreSQL with a lease table of its own.
 */
class JdbcTableLeaderElectionTests extends LeaderElectionContractTests {

	@Override
	protected Class<?>[] backendConfiguration() {
		return new Class<?>[] { TestBackends.Jdbc.class };
	}

	@Override
	protected String[] backendProperties() {
		return new String[] { "spring.datasource.url=" + TestBackends.POSTGRES_URL,
				"spring.datasource.username=" + TestBackends.POSTGRES_USER, "spring.datasource.hikari.maximum-pool-size=2",
				"distlock.provider=jdbc-table", "distlock.jdbc.initialize-schema=always",
				"distlock.jdbc.table-name=" + this.unique };
	}

	@AfterEach
	void dropTheLeaseTable() throws SQLException {
		try (Connection connection = DriverManager.getConnection(TestBackends.POSTGRES_URL, TestBackends.POSTGRES_USER,
				"");
				Statement statement = connection.createStatement()) {
			statement.execute("DROP TABLE IF EXISTS " + this.unique);
		}
	}

}
