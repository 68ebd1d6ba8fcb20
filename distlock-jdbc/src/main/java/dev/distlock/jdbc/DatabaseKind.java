package dev.distlock.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * The kind of database behind a {@link DataSource}, as far as distlock's JDBC providers care: it
 * picks the SQL dialect and, for {@code distlock.provider=auto}, the provider.
 */
public enum DatabaseKind {

	/** PostgreSQL. */
	POSTGRESQL,

	/** MySQL. */
	MYSQL,

	/** MariaDB (reported as {@code MySQL} by MySQL's own driver, which then gets the same SQL). */
	MARIADB,

	/** H2. */
	H2,

	/** Any other database: standard SQL. */
	OTHER;

	/**
	 * The kind named by {@link DatabaseMetaData#getDatabaseProductName()}.
	 * @param productName the product name, or {@code null} if the driver reports none
	 */
	public static DatabaseKind fromProductName(@Nullable String productName) {
		if (productName == null) {
			return OTHER;
		}
		String name = productName.toLowerCase(Locale.ROOT);
		if (name.contains("postgresql")) {
			return POSTGRESQL;
		}
		if (name.contains("mariadb")) {
			return MARIADB;
		}
		if (name.contains("mysql")) {
			return MYSQL;
		}
		if (name.equals("h2")) {
			return H2;
		}
		return OTHER;
	}

	/**
	 * Asks the database behind the given data source (opens and closes one connection).
	 * @throws SQLException if no connection can be had
	 */
	public static DatabaseKind detect(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			return fromProductName(connection.getMetaData().getDatabaseProductName());
		}
	}

	/** Whether this is MySQL or MariaDB, which share their SQL. */
	public boolean isMySqlFamily() {
		return this == MYSQL || this == MARIADB;
	}

}
