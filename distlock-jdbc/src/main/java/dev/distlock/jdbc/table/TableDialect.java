package dev.distlock.jdbc.table;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.distlock.jdbc.DatabaseKind;

/**
 * The SQL of the lease table for one database, loaded from the resource files beside this class
 * ({@code statements-*.sql}, {@code schema-*.sql}) with the configured table name put in place of
 * {@code distlock_lock}. Lock ids and owners never enter the SQL text: they are bind parameters.
 *
 * <p>The statement files decide the round trips: a dialect with an {@code acquire} statement grants
 * in one statement that returns the token, the others use {@code take-over}, {@code select-token}
 * and {@code insert}; one with {@code extend-all} extends any batch in one statement, the others
 * use {@code extend-group} and {@code select-held} per lease time.
 */
final class TableDialect {

	private static final String RESOURCE_DIRECTORY = "dev/distlock/jdbc/table/";

	private static final Pattern DEFAULT_TABLE_NAME = Pattern.compile("\\bdistlock_lock\\b");

	private static final Pattern NAME_LINE = Pattern.compile("^--\\s*name:\\s*(\\S+)\\s*$");

	private final DatabaseKind kind;

	private final String schemaResource;

	private final List<String> schema;

	private final Map<String, String> statements;

	private TableDialect(DatabaseKind kind, String schemaResource, List<String> schema, Map<String, String> statements) {
		this.kind = kind;
		this.schemaResource = schemaResource;
		this.schema = schema;
		this.statements = statements;
	}

	static TableDialect forDatabase(DatabaseKind kind, String tableName) {
		String schemaResource = RESOURCE_DIRECTORY + "schema-" + schemaName(kind) + ".sql";
		String statementsResource = RESOURCE_DIRECTORY + "statements-" + statementsName(kind) + ".sql";
		List<String> schema = new ArrayList<>(named("schema", load(schemaResource, tableName)).values());
		return new TableDialect(kind, schemaResource, schema, named(null, load(statementsResource, tableName)));
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

	DatabaseKind kind() {
		return this.kind;
	}

	/** Where the schema for this database lives, as a classpath location for messages. */
	String schemaLocation() {
		return "classpath:" + this.schemaResource;
	}

	/** The schema statements; they use {@code IF NOT EXISTS} except in standard SQL. */
	List<String> schema() {
		return this.schema;
	}

	boolean has(String statement) {
		return this.statements.containsKey(statement);
	}

	String sql(String statement) {
		String sql = this.statements.get(statement);
		if (sql == null) {
			throw new IllegalStateException("No '" + statement + "' statement for " + this.kind);
		}
		return sql;
	}

	/**
	 * Reads a lease time. MySQL keeps UTC in {@code DATETIME(3)} columns (no time zone); the others
	 * keep {@code TIMESTAMP WITH TIME ZONE}.
	 */
	Instant readInstant(ResultSet row, String column) throws SQLException {
		if (this.kind.isMySqlFamily()) {
			return row.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
		}
		return row.getObject(column, OffsetDateTime.class).toInstant();
	}

	private static String load(String resource, String tableName) {
		try (InputStream in = TableDialect.class.getClassLoader().getResourceAsStream(resource)) {
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
	 * before them (or numbered under {@code defaultName}). Whole-line comments are dropped.
	 */
	private static Map<String, String> named(@Nullable String defaultName, String script) {
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
					String key = (name != null) ? name : defaultName + "-" + statements.size();
					statements.put(key, sql.substring(0, sql.lastIndexOf(";")).strip());
					sql.setLength(0);
					name = null;
				}
			}
		}
		return statements;
	}

}
