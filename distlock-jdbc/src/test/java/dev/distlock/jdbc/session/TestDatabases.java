package dev.distlock.jdbc.session;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.distlock.jdbc.mysql.MySqlLockProvider;
import dev.distlock.jdbc.postgres.PostgresAdvisoryLockProvider;

/**
 * The loopback test databases, from environment variables with local defaults, and providers on them.
 */
public final class TestDatabases {

	public static final String POSTGRES = "postgres";

	public static final String MYSQL = "mysql";

	private TestDatabases() {
	}

	public static String url(String kind) {
		return switch (kind) {
			case POSTGRES -> env("DISTLOCK_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
			case MYSQL -> env("DISTLOCK_TEST_MYSQL_URL", "jdbc:mariadb://127.0.0.1:3306/test");
			default -> throw new IllegalArgumentException(kind);
		};
	}

	public static String user(String kind) {
		return switch (kind) {
			case POSTGRES -> env("DISTLOCK_TEST_POSTGRES_USER", "postgres");
			case MYSQL -> env("DISTLOCK_TEST_MYSQL_USER", "root");
			default -> throw new IllegalArgumentException(kind);
		};
	}

	public static String password(String kind) {
		return switch (kind) {
			case POSTGRES -> env("DISTLOCK_TEST_POSTGRES_PASSWORD", "");
			case MYSQL -> env("DISTLOCK_TEST_MYSQL_PASSWORD", "");
			default -> throw new IllegalArgumentException(kind);
		};
	}

	/** A non-pooling DataSource: every connection is new. */
	public static DataSource dataSource(String kind) {
		return new DriverManagerDataSource(url(kind), user(kind), password(kind));
	}

	public static LockConnectionFactory lockConnections(String kind) {
		return LockConnectionFactory.ofDriver(url(kind), user(kind), password(kind));
	}

	/** A provider of the given kind, as application instance {@code instanceId} would build it. */
	public static AbstractSessionLockProvider<?> provider(String kind, DataSource applicationDataSource,
			String instanceId) {
		SessionLockSettings settings = SessionLockSettings.defaults(instanceId);
		return switch (kind) {
			case POSTGRES -> new PostgresAdvisoryLockProvider(applicationDataSource, lockConnections(kind), settings);
			case MYSQL -> new MySqlLockProvider(applicationDataSource, lockConnections(kind), settings);
			default -> throw new IllegalArgumentException(kind);
		};
	}

	public static AbstractSessionLockProvider<?> provider(String kind, String instanceId) {
		return provider(kind, dataSource(kind), instanceId);
	}

	/** Creates the provider's schema (idempotent). */
	public static void initializeSchema(String kind) {
		try (AbstractSessionLockProvider<?> provider = provider(kind, "schema")) {
			if (provider instanceof PostgresAdvisoryLockProvider postgres) {
				postgres.initializeSchema();
			}
			else if (provider instanceof MySqlLockProvider mysql) {
				mysql.initializeSchema();
			}
		}
	}

	private static String env(String name, String defaultValue) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : defaultValue;
	}

}
