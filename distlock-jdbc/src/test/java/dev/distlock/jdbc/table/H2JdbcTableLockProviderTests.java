package dev.distlock.jdbc.table;

import com.zaxxer.hikari.HikariConfig;

/** The jdbc-table provider on an in-memory H2 database, one connection pool per instance. */
class H2JdbcTableLockProviderTests extends JdbcTableLockProviderContractTests {

	@Override
	protected HikariConfig connectionSettings() {
		return connectTo("jdbc:h2:mem:distlock-tck;DB_CLOSE_DELAY=-1", "sa", "");
	}

	@Override
	protected String schemaResource() {
		return "classpath:dev/distlock/jdbc/table/schema-h2.sql";
	}

	@Override
	protected int statementsPerAcquire() {
		return 2;
	}

	@Override
	protected String millisUntilExpiryQuery() {
		return "SELECT DATEDIFF(MILLISECOND, CURRENT_TIMESTAMP, expires_at) FROM TABLE WHERE lock_key = ?";
	}

}
