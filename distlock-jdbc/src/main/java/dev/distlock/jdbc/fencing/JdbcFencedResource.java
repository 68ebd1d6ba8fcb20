package dev.distlock.jdbc.fencing;

import java.util.List;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import dev.distlock.FencedResource;
import dev.distlock.LockBackendException;
import dev.distlock.LockConfigurationException;
import dev.distlock.StaleFencingTokenException;
import dev.distlock.jdbc.DatabaseKind;
import dev.distlock.jdbc.sql.MissingTable;

/**
 * Fencing in a table of the application's database: one row per resource with the highest token
 * accepted for it ({@code distlock_fence}, see {@code schema-*.sql} beside this class).
 *
 * <ul>
 * <li>The check runs <b>in the caller's transaction</b>: on the connection Spring's
 * {@code DataSourceUtils} binds to the thread for the application's {@code DataSource}, as any
 * {@code JdbcTemplate} on it would. The check and the protected write therefore commit or roll
 * back together: a write that fails after the check leaves the stored token as it was, and a
 * refused check (the exception) rolls the write back. Outside a transaction, the check commits on
 * its own.
 * <li>Recording locks the resource's row until the transaction ends, so checks of one resource
 * queue behind each other and a lower token never passes after a higher one committed. Keep such
 * transactions short.
 * <li>Statements per check: 1 on PostgreSQL (an upsert with a {@code WHERE} on the token), 1 in
 * standard SQL and H2 ({@code MERGE}), 2 on MySQL/MariaDB (an upsert and a locking read); a
 * refusal takes 2 everywhere (the stored token is read for the exception).
 * <li>Resource names are bind parameters, keyed by their SHA-256 (see {@link StoredResource}):
 * any string is a resource, and two names never share a row (in standard SQL and on H2, names up
 * to 4,000 characters: the {@code MERGE} types its parameters).
 * <li>The database kind is detected on first use, so the application starts while the database is
 * down. A missing table fails the check with a {@link LockBackendException} that names the
 * schema file and {@code distlock.jdbc.initialize-schema}. Other database errors (deadlock,
 * serialization failure, timeout) propagate as Spring {@link DataAccessException}s, as the
 * caller's own statements' would.
 * </ul>
 */
public final class JdbcFencedResource implements FencedResource {

	/** The table name unless configured otherwise ({@code distlock.fencing.table-name}). */
	public static final String DEFAULT_TABLE_NAME = "distlock_fence";

	private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

	/**
	 * SQLSTATEs for "no such table": PostgreSQL {@code 42P01}; MySQL, MariaDB, H2 and X/Open
	 * {@code 42S02}; H2's variants {@code 42S03}/{@code 42S04}; Derby {@code 42X05}.
	 */
	/** A concurrent first insert of the same resource can make MERGE fail once; then the row exists. */
	private static final int MAX_MERGE_ATTEMPTS = 3;

	private static final Logger logger = LoggerFactory.getLogger(JdbcFencedResource.class);

	private final NamedParameterJdbcTemplate jdbc;

	private final String tableName;

	private volatile @Nullable FenceDialect dialect;

	/**
	 * Fencing in the table {@value #DEFAULT_TABLE_NAME}.
	 * @param dataSource the application's data source, the one its transactions run on
	 */
	public JdbcFencedResource(DataSource dataSource) {
		this(dataSource, DEFAULT_TABLE_NAME);
	}

	/**
	 * Fencing in the given table, for the database detected on first use.
	 * @param dataSource the application's data source, the one its transactions run on
	 * @param tableName the fencing table, optionally schema-qualified; letters, digits and
	 * underscores only, used as written (unquoted)
	 * @throws LockConfigurationException if the table name is not a plain SQL identifier
	 */
	public JdbcFencedResource(DataSource dataSource, String tableName) {
		this(dataSource, tableName, null);
	}

	/**
	 * Fencing in the given table for a known kind of database, skipping detection;
	 * {@link DatabaseKind#OTHER} forces standard SQL.
	 * @param dataSource the application's data source, the one its transactions run on
	 * @param tableName the fencing table, as for {@link #JdbcFencedResource(DataSource, String)}
	 * @param databaseKind the database, or {@code null} to detect it on first use
	 * @throws LockConfigurationException if the table name is not a plain SQL identifier
	 */
	public JdbcFencedResource(DataSource dataSource, String tableName, @Nullable DatabaseKind databaseKind) {
		if (!TABLE_NAME.matcher(tableName).matches()) {
			throw new LockConfigurationException("distlock.fencing.table-name '" + tableName
					+ "' is not a table name: use letters, digits and underscores, optionally schema.table");
		}
		// A JdbcTemplate on the application's own DataSource joins the transaction bound to the thread.
		this.jdbc = new NamedParameterJdbcTemplate(new JdbcTemplate(dataSource));
		this.tableName = tableName;
		this.dialect = (databaseKind != null) ? FenceDialect.forDatabase(databaseKind, tableName) : null;
	}

	/** The fencing table's name. */
	public String tableName() {
		return this.tableName;
	}

	@Override
	public void check(String resource, long token) {
		if (token < 1) {
			throw new IllegalArgumentException("Fencing token for resource '" + resource + "' must be positive, was "
					+ token);
		}
		FenceDialect dialect = dialect(resource);
		StoredResource stored = StoredResource.of(resource);
		MapSqlParameterSource parameters = new MapSqlParameterSource().addValue("resourceKey", stored.key())
			.addValue("resource", stored.text())
			.addValue("token", token);
		try {
			long storedToken = refusal(dialect, parameters, token);
			if (storedToken != 0) {
				logger.debug("Resource '{}' refused fencing token {} (stored: {})", resource, token, storedToken);
				throw new StaleFencingTokenException(resource, token, storedToken);
			}
		}
		catch (DataAccessException ex) {
			if (MissingTable.isCauseOf(ex)) {
				throw missingTable(resource, dialect, ex);
			}
			throw ex;
		}
	}

	/** Records the token: 0 if it was recorded, else the higher token stored for the resource. */
	private long refusal(FenceDialect dialect, MapSqlParameterSource parameters, long token) {
		if (dialect.recordReturnsRow()) {
			boolean recorded = !this.jdbc.queryForList(dialect.record(), parameters, Long.class).isEmpty();
			return recorded ? 0 : storedToken(dialect, parameters);
		}
		if (dialect.readsStoredTokenEveryTime()) {
			this.jdbc.update(dialect.record(), parameters);
			long stored = storedToken(dialect, parameters);
			return (stored > token) ? stored : 0;
		}
		for (int attempt = 1;; attempt++) {
			try {
				return (this.jdbc.update(dialect.record(), parameters) > 0) ? 0 : storedToken(dialect, parameters);
			}
			catch (DuplicateKeyException ex) {
				// Another transaction inserted the resource's first row meanwhile: now it matches.
				if (attempt == MAX_MERGE_ATTEMPTS) {
					throw ex;
				}
			}
		}
	}

	private long storedToken(FenceDialect dialect, MapSqlParameterSource parameters) {
		List<Long> tokens = this.jdbc.queryForList(dialect.stored(), parameters, Long.class);
		if (tokens.isEmpty()) {
			throw new IllegalStateException("Fencing table '" + this.tableName + "' has no row for resource key "
					+ parameters.getValue("resourceKey") + " right after recording it");
		}
		return tokens.get(0);
	}

	/**
	 * Creates the fencing table unless it exists, from {@code schema-<database>.sql} beside this
	 * class. Idempotent, and safe when several instances start at once. Runs outside any
	 * transaction of the caller only if called outside one (at startup).
	 * @throws LockBackendException if the table is missing and cannot be created
	 */
	public void initializeSchema() {
		FenceDialect dialect = dialect(null);
		JdbcTemplate plain = this.jdbc.getJdbcTemplate();
		try {
			if (tableExists(plain)) {
				return;
			}
			plain.execute((ConnectionCallback<Void>) (connection) -> {
				dialect.schema().executeOn(connection);
				return null;
			});
			logger.debug("Created fencing table '{}' from {}", this.tableName, dialect.schemaLocation());
		}
		catch (DataAccessException ex) {
			// Another instance may have created it meanwhile.
			if (!tableExistsQuietly(plain)) {
				throw new LockBackendException("fencing: creating table '" + this.tableName + "' from "
						+ dialect.schemaLocation() + " failed: " + ex.getMessage(), ex);
			}
		}
	}

	private boolean tableExists(JdbcTemplate plain) {
		try {
			plain.queryForObject("SELECT COUNT(*) FROM " + this.tableName + " WHERE 1 = 0", Long.class);
			return true;
		}
		catch (DataAccessException ex) {
			if (MissingTable.isCauseOf(ex)) {
				return false;
			}
			throw ex;
		}
	}

	private boolean tableExistsQuietly(JdbcTemplate plain) {
		try {
			return tableExists(plain);
		}
		catch (DataAccessException ex) {
			return false;
		}
	}

	private LockBackendException missingTable(String resource, FenceDialect dialect, DataAccessException cause) {
		return new LockBackendException("fencing: checking resource '" + resource + "' failed: the fencing table '"
				+ this.tableName + "' does not exist. Create it with the statements in " + dialect.schemaLocation()
				+ (this.tableName.equals(DEFAULT_TABLE_NAME) ? ""
						: " (with '" + this.tableName + "' in place of " + DEFAULT_TABLE_NAME + ")")
				+ ", or set distlock.jdbc.initialize-schema=always to let distlock create it at startup", cause);
	}

	/** The dialect, detected from the database on first use (not at startup: it may be down). */
	private FenceDialect dialect(@Nullable String resource) {
		FenceDialect dialect = this.dialect;
		if (dialect == null) {
			try {
				DatabaseKind kind = this.jdbc.getJdbcTemplate()
					.execute((ConnectionCallback<DatabaseKind>) (connection) -> DatabaseKind
						.fromProductName(connection.getMetaData().getDatabaseProductName()));
				dialect = FenceDialect.forDatabase((kind != null) ? kind : DatabaseKind.OTHER, this.tableName);
				this.dialect = dialect;
			}
			catch (DataAccessException ex) {
				throw new LockBackendException("fencing: " + ((resource != null) ? "checking resource '" + resource + "'"
						: "reaching the database of table '" + this.tableName + "'") + " failed: " + ex.getMessage(), ex);
			}
		}
		return dialect;
	}

}
