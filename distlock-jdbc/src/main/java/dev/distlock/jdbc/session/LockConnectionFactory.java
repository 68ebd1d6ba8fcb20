package dev.distlock.jdbc.session;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * Opens the physical connections that hold session-scoped locks. A session-scoped provider calls it
 * once per lock connection at start-up (lazily, on first use) and again only to replace a connection
 * that dropped; it keeps every connection it opened for its whole lifetime.
 *
 * <p>A held lock pins its connection, so these connections must not come from the application's
 * connection pool: use {@link #ofDriver} with the same URL and credentials as the application's
 * DataSource, or {@link #ofDataSource} with a DataSource that opens a new physical connection per
 * call (such as Spring's {@code SimpleDriverDataSource}).
 */
@FunctionalInterface
public interface LockConnectionFactory {

	/**
	 * Opens a new physical connection.
	 * @throws SQLException if the database cannot be reached
	 */
	Connection openConnection() throws SQLException;

	/**
	 * Opens connections through {@link DriverManager}, bypassing any pool.
	 * @param url the JDBC URL, usually the application DataSource's
	 * @param username the user, or {@code null} to take it from the URL or the driver's defaults
	 * @param password the password, or {@code null} for none
	 */
	static LockConnectionFactory ofDriver(String url, @Nullable String username, @Nullable String password) {
		Objects.requireNonNull(url, "url");
		return () -> {
			Properties properties = new Properties();
			if (username != null) {
				properties.setProperty("user", username);
			}
			if (password != null) {
				properties.setProperty("password", password);
			}
			return DriverManager.getConnection(url, properties);
		};
	}

	/**
	 * Opens connections with {@link DataSource#getConnection()}. Use it with a non-pooling DataSource;
	 * with a pool, every lock connection is a pooled connection taken out of the pool for good.
	 */
	static LockConnectionFactory ofDataSource(DataSource dataSource) {
		Objects.requireNonNull(dataSource, "dataSource");
		return dataSource::getConnection;
	}

}
