package dev.distlock.jdbc.table;

import com.zaxxer.hikari.HikariConfig;

/**
 * The jdbc-table provider on a real PostgreSQL server ({@code DISTLOCK_TEST_POSTGRES_URL},
 * {@code DISTLOCK_TEST_POSTGRES_USER}).
 */
class PostgresJdbcTableLockProviderTests extends JdbcTableLockProviderContractTests {

	@Override
	protected HikariConfig connectionSettings() {
		return connectTo(env("DISTLOCK_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test"),
				env("DISTLOCK_TEST_POSTGRES_USER", "postgres"), env("DISTLOCK_TEST_POSTGRES_PASSWORD", ""));
	}

	@Override
	protected String schemaResource() {
		return "classpath:dev/distlock/jdbc/table/schema-postgresql.sql";
	}

	@Override
	protected int statementsPerAcquire() {
		return 1;
	}

	@Override
	protected String millisUntilExpiryQuery() {
		return "SELECT CAST(EXTRACT(EPOCH FROM (expires_at - CURRENT_TIMESTAMP)) * 1000 AS BIGINT) FROM TABLE WHERE lock_key = ?";
	}

}
