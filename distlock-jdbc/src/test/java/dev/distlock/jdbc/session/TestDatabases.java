package dev.distlock.jdbc.session;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.distlock.jdbc.mysql.MySqlLockProvider;
import dev.distlock.jdbc.mysql.NamedLockName;
import dev.distlock.jdbc.postgres.AdvisoryLockKey;
import dev.distlock.jdbc.postgres.PostgresAdvisoryLockProvider;

import static org.awaitility.Awaitility.await;

/**
 * The loopback test databases, from environment variables with local defaults, providers on them,
 * and what tests do to them from outside (find and kill a lock's session, make an empty schema).
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

	/** A provider of the given kind on another database URL (e.g. {@link #createEmptySchema}'s). */
	public static AbstractSessionLockProvider<?> providerOn(String kind, String url, String instanceId) {
		SessionLockSettings settings = SessionLockSettings.defaults(instanceId);
		DataSource dataSource = new DriverManagerDataSource(url, user(kind), password(kind));
		LockConnectionFactory lockConnections = LockConnectionFactory.ofDriver(url, user(kind), password(kind));
		return switch (kind) {
			case POSTGRES -> new PostgresAdvisoryLockProvider(dataSource, lockConnections, settings);
			case MYSQL -> new MySqlLockProvider(dataSource, lockConnections, settings);
			default -> throw new IllegalArgumentException(kind);
		};
	}

	/** Creates the provider's schema (idempotent). */
	public static void initializeSchema(String kind) {
		try (AbstractSessionLockProvider<?> provider = provider(kind, "schema")) {
			provider.initializeSchema();
		}
	}

	/**
	 * Creates an empty PostgreSQL schema or MySQL database of its own for a test.
	 * @return the JDBC URL whose connections use it
	 */
	public static String createEmptySchema(String kind, String name) {
		JdbcTemplate admin = new JdbcTemplate(dataSource(kind));
		return switch (kind) {
			case POSTGRES -> {
				admin.execute("CREATE SCHEMA " + name);
				yield url(kind) + (url(kind).contains("?") ? "&" : "?") + "currentSchema=" + name;
			}
			case MYSQL -> {
				admin.execute("CREATE DATABASE " + name);
				yield url(kind).replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
			}
			default -> throw new IllegalArgumentException(kind);
		};
	}

	public static void dropEmptySchema(String kind, String name) {
		new JdbcTemplate(dataSource(kind)).execute(switch (kind) {
			case POSTGRES -> "DROP SCHEMA " + name + " CASCADE";
			case MYSQL -> "DROP DATABASE " + name;
			default -> throw new IllegalArgumentException(kind);
		});
	}

	/** The server session id that holds the lock right now, asked on a fresh connection. */
	public static long holderSession(String kind, String lockId) {
		JdbcTemplate database = new JdbcTemplate(dataSource(kind));
		return switch (kind) {
			case POSTGRES -> database.queryForObject("SELECT pid FROM pg_locks WHERE locktype = 'advisory' "
					+ "AND objsubid = 1 AND granted AND ((classid::bigint << 32) | objid::bigint) = ?", Long.class,
					AdvisoryLockKey.of(lockId));
			case MYSQL -> database.queryForObject("SELECT IS_USED_LOCK(?)", Long.class, NamedLockName.of(lockId));
			default -> throw new IllegalArgumentException(kind);
		};
	}

	/**
	 * The server sessions queued for the lock right now, waiting to be granted it (PostgreSQL: ungranted
	 * advisory locks in {@code pg_locks}; MariaDB: connections running a {@code GET_LOCK} on its name),
	 * asked on a fresh connection.
	 */
	public static List<Long> waitingSessions(String kind, String lockId) {
		JdbcTemplate database = new JdbcTemplate(dataSource(kind));
		return switch (kind) {
			case POSTGRES -> database.queryForList("SELECT pid::bigint FROM pg_locks WHERE locktype = 'advisory' "
					+ "AND objsubid = 1 AND NOT granted AND ((classid::bigint << 32) | objid::bigint) = ?", Long.class,
					AdvisoryLockKey.of(lockId));
			case MYSQL -> database.queryForList("SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND ID <> CONNECTION_ID() "
					+ "AND INFO LIKE CONCAT('%GET_LOCK(''', ?, '''%')", Long.class, NamedLockName.of(lockId));
			default -> throw new IllegalArgumentException(kind);
		};
	}

	/** Ends a server session from outside, as an operator or a failing network would, and waits until it is gone. */
	public static void terminateSession(String kind, long sessionId) {
		JdbcTemplate database = new JdbcTemplate(dataSource(kind));
		switch (kind) {
			case POSTGRES -> database.queryForObject("SELECT pg_terminate_backend(?::int, 5000)", Boolean.class,
					sessionId);
			case MYSQL -> {
				database.update("KILL CONNECTION ?", sessionId);
				await().atMost(Duration.ofSeconds(10)).until(() -> database.queryForObject(
						"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?", Integer.class, sessionId) == 0);
			}
			default -> throw new IllegalArgumentException(kind);
		}
	}

	private static String env(String name, String defaultValue) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : defaultValue;
	}

}
