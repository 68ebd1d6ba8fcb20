package dev.distlock.jdbc.fencing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.distlock.jdbc.DatabaseKind;

/**
 * The SQL of the fencing table for one database, loaded from the resource files beside this class
 * ({@code schema-*.sql}, {@code statements-*.sql}) with the configured table name in place of
 * {@code distlock_fence}. Resource names and tokens never enter the SQL text: they are bind
 * parameters.
 *
 * @param kind the database
 * @param schemaResource the classpath location of the schema file
 * @param schema the schema statements
 * @param record the statement that records a token ({@code record})
 * @param stored the statement that reads the stored token ({@code stored})
 */
record FenceDialect(DatabaseKind kind, String schemaResource, List<String> schema, String record, String stored) {

	private static final String RESOURCE_DIRECTORY = "dev/distlock/jdbc/fencing/";

	private static final Pattern DEFAULT_TABLE_NAME = Pattern.compile("\\bdistlock_fence\\b");

	private static final Pattern NAME_LINE = Pattern.compile("^--\\s*name:\\s*(\\S+)\\s*$");

	static FenceDialect forDatabase(DatabaseKind kind, String tableName) {
		String schemaResource = RESOURCE_DIRECTORY + "schema-" + schemaName(kind) + ".sql";
		Map<String, String> statements = named(load(RESOURCE_DIRECTORY + "statements-" + statementsName(kind) + ".sql",
				tableName));
		return new FenceDialect(kind, schemaResource, List.copyOf(named(load(schemaResource, tableName)).values()),
				statements.get("record"), statements.get("stored"));
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
		return "classpath:" + this.schemaResource;
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

	private static String load(String resource, String tableName) {
		try (InputStream in = FenceDialect.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("Missing resource " + resource);
			}
			String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			return DEFAULT_TABLE_NAME.matcher(sql).replaceAll(Matcher.quoteReplacement(tableName));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + resource, ex);
		}
	}

	/**
	 * Splits a script into statements ending with {@code ;}, named by the {@code -- name:} line
	 * before them (or numbered). Whole-line comments are dropped.
	 */
	private static Map<String, String> named(String script) {
		Map<String, String> statements = new LinkedHashMap<>();
		String name = null;
		StringBuilder sql = new StringBuilder();
		for (String line : script.split("\\R")) {
			String trimmed = line.strip();
			Matcher nameLine = NAME_LINE.matcher(trimmed);
			if (nameLine.matches()) {
				name = nameLine.group(1);
			}
			else if (!trimmed.isEmpty() && !trimmed.startsWith("--")) {
				sql.append(line).append('\n');
				if (trimmed.endsWith(";")) {
					statements.put((name != null) ? name : "statement-" + statements.size(),
							sql.substring(0, sql.lastIndexOf(";")).strip());
					sql.setLength(0);
					name = null;
				}
			}
		}
		return statements;
	}

}
