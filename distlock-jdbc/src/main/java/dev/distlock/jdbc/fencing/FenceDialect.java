package dev.distlock.jdbc.fencing;

import java.util.EnumSet;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.distlock.jdbc.DatabaseKind;
import dev.distlock.jdbc.sql.SchemaScript;
import dev.distlock.jdbc.sql.SqlStatements;

/**
 * The SQL of the fencing table for one database, loaded from the resource files beside this class
 * ({@code schema-*.sql}, and one file per {@link FenceStatement} in a directory per dialect) with the configured table name in place of
 * {@code distlock_fence}. Resource names and tokens never enter the SQL text: they are bind
 * parameters.
 *
 * @param kind the database
 * @param schema the schema script
 * @param statements the check's statements
 */
record FenceDialect(DatabaseKind kind, SchemaScript schema, SqlStatements<FenceStatement> statements) {

	private static final String RESOURCE_DIRECTORY = "dev/distlock/jdbc/fencing/";

	private static final Pattern DEFAULT_TABLE_NAME = Pattern.compile("\\bdistlock_fence\\b");

	static FenceDialect forDatabase(DatabaseKind kind, String tableName) {
		UnaryOperator<String> withTable = (sql) -> DEFAULT_TABLE_NAME.matcher(sql)
			.replaceAll(Matcher.quoteReplacement(tableName));
		return new FenceDialect(kind, SchemaScript.load(RESOURCE_DIRECTORY + "schema-" + schemaName(kind) + ".sql", withTable),
				SqlStatements.load(EnumSet.allOf(FenceStatement.class),
						List.of(RESOURCE_DIRECTORY + statementsName(kind) + "/"), withTable));
	}

	/** The statement that records a token. */
	String record() {
		return this.statements.sql(FenceStatement.RECORD);
	}

	/** The statement that reads the stored token. */
	String stored() {
		return this.statements.sql(FenceStatement.STORED);
	}

	/** Whether the {@code record} statement leaves the stored token to be read in every case (MySQL). */
	boolean readsStoredTokenEveryTime() {
		return this.kind.isMySqlFamily();
	}

	/** Whether {@code record} returns the accepted token as a row (PostgreSQL) or an update count. */
	boolean recordReturnsRow() {
		return this.kind == DatabaseKind.POSTGRESQL;
	}

	/** Where the schema for this database lives, as a classpath location for messages. */
	String schemaLocation() {
		return this.schema.location();
	}

	private static String schemaName(DatabaseKind kind) {
		return switch (kind) {
			case POSTGRESQL -> "postgresql";
			case MYSQL, MARIADB -> "mysql";
			case H2 -> "h2";
			case OTHER -> "standard";
		};
	}

	private static String statementsName(DatabaseKind kind) {
		return switch (kind) {
			case POSTGRESQL -> "postgresql";
			case MYSQL, MARIADB -> "mysql";
			case H2, OTHER -> "standard";
		};
	}

}
