package dev.distlock.jdbc.fencing;

import dev.distlock.jdbc.DatabaseKind;
import dev.distlock.jdbc.session.TestDatabases;

/** {@link JdbcFencedResource} on the loopback MariaDB: an upsert and a locking read per check. */
class MariaDbJdbcFencedResourceTests extends JdbcFencedResourceContractTests {

	@Override
	protected String url() {
		return TestDatabases.url(TestDatabases.MYSQL);
	}

	@Override
	protected String user() {
		return TestDatabases.user(TestDatabases.MYSQL);
	}

	@Override
	protected String password() {
		return TestDatabases.password(TestDatabases.MYSQL);
	}

	@Override
	protected DatabaseKind databaseKind() {
		return DatabaseKind.MARIADB;
	}

	@Override
	protected String schemaFile() {
		return "classpath:dev/distlock/jdbc/fencing/schema-mysql.sql";
	}

	@Override
	protected int statementsPerRecordedCheck() {
		return 2;
	}

}
