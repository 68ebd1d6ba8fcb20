package dev.distlock.jdbc.table;

import com.zaxxer.hikari.HikariConfig;

/** The jdbc-table provider on a real MariaDB (or MySQL) server ({@code DISTLOCK_TEST_MYSQL_URL}). */
class MariaDbJdbcTableLockProviderTests extends JdbcTableLockProviderContractTests {

	@Override
	protected HikariConfig connectionSettings() {
		return connectTo(env("DISTLOCK_TEST_MYSQL_URL", "jdbc:mariadb://127.0.0.1:3306/test"),
				env("DISTLOCK_TEST_MYSQL_USER", "root"), env("DISTLOCK_TEST_MYSQL_PASSWORD", ""));
	}

	@Override
	protected String schemaResource() {
		return "classpath:dev/distlock/jdbc/table/schema-mysql.sql";
	}

	@Override
	protected int statementsPerAcquire() {
		return 2;
	}

	@Override
	protected String millisUntilExpiryQuery() {
		return "SELECT TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), expires_at) DIV 1000 FROM TABLE WHERE lock_key = ?";
	}

}
