package dev.distlock.jdbc.table;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.distlock.jdbc.DatabaseKind;
import dev.distlock.jdbc.sql.SchemaScript;
import dev.distlock.jdbc.sql.SqlStatements;

import static dev.distlock.jdbc.table.TableStatement.ACQUIRE;
import static dev.distlock.jdbc.table.TableStatement.EXTEND;
import static dev.distlock.jdbc.table.TableStatement.EXTEND_ALL;
import static dev.distlock.jdbc.table.TableStatement.EXTEND_GROUP;
import static dev.distlock.jdbc.table.TableStatement.FORCE_RELEASE;
import static dev.distlock.jdbc.table.TableStatement.HEALTH;
import static dev.distlock.jdbc.table.TableStatement.INSERT;
import static dev.distlock.jdbc.table.TableStatement.INSPECT;
import static dev.distlock.jdbc.table.TableStatement.LIST;
import static dev.distlock.jdbc.table.TableStatement.LISTEN;
import static dev.distlock.jdbc.table.TableStatement.MILLIS_LEFT;
import static dev.distlock.jdbc.table.TableStatement.RELEASE;
import static dev.distlock.jdbc.table.TableStatement.SELECT_HELD;
import static dev.distlock.jdbc.table.TableStatement.SELECT_TOKEN;
import static dev.distlock.jdbc.table.TableStatement.TAKE_OVER;

/**
 * The SQL of the lease table for one database: its {@link TableStatement}s, one file each in
 * {@code dev/distlock/jdbc/table/<dialect>/} (falling back to {@code standard/} for a statement the
 * dialect writes the standard way), and its {@code schema-<database>.sql}, with the configured
 * table name put in place of {@code distlock_lock}. Lock ids and owners never enter the SQL text:
 * they are bind parameters.
 *
 * <p>The dialect decides the round trips: PostgreSQL grants in one statement that returns the
 * token ({@code acquire}) and extends any batch in one ({@code extend-all}); the others grant with
 * {@code take-over}, {@code select-token} and {@code insert}, and extend with {@code extend-group}
 * and {@code select-held} per lease time. Only PostgreSQL's release and force-release notify
 * waiters, with {@code listen} and {@code millis-left} beside them (see {@link #notifiesReleases()}).
 */
final class TableDialect {

	private static final String DIRECTORY = "dev/distlock/jdbc/table/";

	private static final Pattern DEFAULT_TABLE_NAME = Pattern.compile("\\bdistlock_lock\\b");

	private static final Set<TableStatement> EVERY_DIALECT = EnumSet.of(EXTEND, RELEASE, FORCE_RELEASE, INSPECT, LIST,
			HEALTH);

	private static final Set<TableStatement> ONE_STATEMENT_GRANTS = EnumSet.of(ACQUIRE, EXTEND_ALL);

	/** Release notifications and lease-expiry wake-ups (PostgreSQL). */
	private static final Set<TableStatement> NOTIFICATIONS = EnumSet.of(LISTEN, MILLIS_LEFT);

	private static final Set<TableStatement> TWO_STATEMENT_GRANTS = EnumSet.of(TAKE_OVER, SELECT_TOKEN, INSERT,
			EXTEND_GROUP, SELECT_HELD);

	private final DatabaseKind kind;

	private final SchemaScript schema;

	private final SqlStatements<TableStatement> statements;

	private final boolean oneStatementGrants;

	private TableDialect(DatabaseKind kind, SchemaScript schema, SqlStatements<TableStatement> statements,
			boolean oneStatementGrants) {
		this.kind = kind;
		this.schema = schema;
		this.statements = statements;
		this.oneStatementGrants = oneStatementGrants;
	}

	/**
	 * The dialect of every kind of database, all read now so that a missing resource fails the
	 * provider's construction rather than its first use on one database.
	 * @param tableName the lease table, already checked by {@link dev.distlock.jdbc.TableName}
	 */
	static Map<DatabaseKind, TableDialect> forEveryDatabase(String tableName) {
		UnaryOperator<String> withTable = (sql) -> DEFAULT_TABLE_NAME.matcher(sql)
			.replaceAll(Matcher.quoteReplacement(tableName));
		Set<TableStatement> postgresqlOnly = EnumSet.copyOf(ONE_STATEMENT_GRANTS);
		postgresqlOnly.addAll(NOTIFICATIONS);
		SqlStatements<TableStatement> postgresql = statements(withTable, postgresqlOnly, "postgresql");
		SqlStatements<TableStatement> mysql = statements(withTable, TWO_STATEMENT_GRANTS, "mysql");
		SqlStatements<TableStatement> standard = statements(withTable, TWO_STATEMENT_GRANTS);
		SchemaScript mysqlSchema = schema("mysql", withTable);
		Map<DatabaseKind, TableDialect> dialects = new EnumMap<>(DatabaseKind.class);
		dialects.put(DatabaseKind.POSTGRESQL,
				new TableDialect(DatabaseKind.POSTGRESQL, schema("postgresql", withTable), postgresql, true));
		dialects.put(DatabaseKind.MYSQL, new TableDialect(DatabaseKind.MYSQL, mysqlSchema, mysql, false));
		dialects.put(DatabaseKind.MARIADB, new TableDialect(DatabaseKind.MARIADB, mysqlSchema, mysql, false));
		dialects.put(DatabaseKind.H2, new TableDialect(DatabaseKind.H2, schema("h2", withTable), standard, false));
		dialects.put(DatabaseKind.OTHER,
				new TableDialect(DatabaseKind.OTHER, schema("standard", withTable), standard, false));
		return dialects;
	}

	private static SqlStatements<TableStatement> statements(UnaryOperator<String> withTable,
			Set<TableStatement> dialectStatements, String... ownDirectories) {
		Set<TableStatement> needed = EnumSet.copyOf(EVERY_DIALECT);
		needed.addAll(dialectStatements);
		List<String> directories = new ArrayList<>();
		for (String own : ownDirectories) {
			directories.add(DIRECTORY + own + "/");
		}
		directories.add(DIRECTORY + "standard/");
		return SqlStatements.load(needed, directories, withTable);
	}

	private static SchemaScript schema(String database, UnaryOperator<String> withTable) {
		return SchemaScript.load(DIRECTORY + "schema-" + database + ".sql", withTable);
	}

	DatabaseKind kind() {
		return this.kind;
	}

	/** The schema script; it uses {@code IF NOT EXISTS} except in standard SQL. */
	SchemaScript schema() {
		return this.schema;
	}

	/** Where the schema for this database lives, as a classpath location for messages. */
	String schemaLocation() {
		return this.schema.location();
	}

	/**
	 * Whether a grant is the one {@link TableStatement#ACQUIRE} statement and a batch extension the
	 * one {@link TableStatement#EXTEND_ALL}, rather than the two-statement forms.
	 */
	boolean grantsInOneStatement() {
		return this.oneStatementGrants;
	}

	/**
	 * Whether release and force-release notify waiters ({@code pg_notify} in a {@code RETURNING}
	 * clause, so they are queries that return the released row) and {@link TableStatement#LISTEN}
	 * and {@link TableStatement#MILLIS_LEFT} exist: PostgreSQL only.
	 */
	boolean notifiesReleases() {
		return this.kind == DatabaseKind.POSTGRESQL;
	}

	String sql(TableStatement statement) {
		return this.statements.sql(statement);
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

}
