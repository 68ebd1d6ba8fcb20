package dev.distlock.jdbc.table;

import dev.distlock.jdbc.DatabaseKind;

/**
 * The jdbc-table provider's standard-SQL dialect (for databases it has no dialect for), proved on
 * H2 by forcing {@link DatabaseKind#OTHER}: standard schema without {@code IF NOT EXISTS}.
 */
class StandardSqlOnH2JdbcTableLockProviderTests extends H2JdbcTableLockProviderTests {

	@Override
	protected DatabaseKind databaseKind() {
		return DatabaseKind.OTHER;
	}

	@Override
	protected String schemaResource() {
		return "classpath:dev/distlock/jdbc/table/schema-standard.sql";
	}

}
