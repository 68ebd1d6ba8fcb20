package dev.distlock.jdbc.fencing;

import dev.distlock.jdbc.DatabaseKind;
import dev.distlock.jdbc.session.TestDatabases;

/** {@link JdbcFencedResource} on the loopback PostgreSQL: one upsert per check. */
class PostgresJdbcFencedResourceTests extends JdbcFencedResourceContractTests {

	@Override
	protected String url() {
		return TestDatabases.url(TestDatabases.POSTGRES);
	}

	@Override
	protected String user() {
		return TestDatabases.user(TestDatabases.POSTGRES);
	}

	@Override
	protected String password() {
		return TestDatabases.password(TestDatabases.POSTGRES);
	}

	@Override
	protected DatabaseKind databaseKind() {
		return DatabaseKind.POSTGRESQL;
	}

	@Override
	protected String schemaFile() {
		return "classpath:dev/distlock/jdbc/fencing/schema-postgresql.sql";
	}

	@Override
	protected int statementsPerRecordedCheck() {
		return 1;
	}

}
