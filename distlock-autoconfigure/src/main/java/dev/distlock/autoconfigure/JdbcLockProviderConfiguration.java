package dev.distlock.autoconfigure;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import dev.distlock.LockBackendException;
import dev.distlock.LockConfigurationException;
import dev.distlock.autoconfigure.DistlockProperties.ProviderType;
import dev.distlock.engine.EngineSettings;
import dev.distlock.jdbc.DatabaseKind;
import dev.distlock.jdbc.mysql.MySqlLockProvider;
import dev.distlock.jdbc.postgres.PostgresAdvisoryLockProvider;
import dev.distlock.jdbc.session.AbstractSessionLockProvider;
import dev.distlock.jdbc.session.SessionLockSettings;
import dev.distlock.jdbc.table.JdbcTableLockProvider;
import dev.distlock.spi.LockProvider;

/**
 * The JDBC providers on the application's primary {@link DataSource}: advisory locks on PostgreSQL
 * and MySQL/MariaDB, the lease table elsewhere (or when asked for). The application still starts
 * when the database is down: checks that need it are logged and retried by the first lock call.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = { "org.springframework.jdbc.core.JdbcTemplate", "dev.distlock.jdbc.table.JdbcTableLockProvider" })
@ConditionalOnLockBackend(LockBackend.JDBC)
class JdbcLockProviderConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(JdbcLockProviderConfiguration.class);

	@Bean
	@ConditionalOnMissingBean(LockProvider.class)
	LockProvider distlockLockProvider(DataSource dataSource, DistlockProperties properties, EngineSettings settings,
			ConfigurableListableBeanFactory beanFactory, Environment environment) {
		LockProviderChoice choice = LockProviderChoice.decide(beanFactory, environment, beanFactory.getBeanClassLoader());
		ProviderType type = (choice.type() != null) ? choice.type() : detect(dataSource);
		JdbcSchemaInitialization schema = new JdbcSchemaInitialization(properties.getJdbc().getInitializeSchema(),
				dataSource);
		return switch (type) {
			case POSTGRES -> session(new PostgresAdvisoryLockProvider(dataSource,
					JdbcLockConnections.of(beanFactory, dataSource, properties), sessionSettings(properties, settings)),
					schema);
			case MYSQL -> session(new MySqlLockProvider(dataSource,
					JdbcLockConnections.of(beanFactory, dataSource, properties), sessionSettings(properties, settings)),
					schema);
			default -> table(new JdbcTableLockProvider(dataSource, properties.getJdbc().getTableName(),
					tableDatabaseKind(beanFactory, environment), JdbcLockConnections.forListening(beanFactory)),
					schema);
		};
	}

	/**
	 * The lease table's database as the JDBC URL tells it, without connecting, so that the provider
	 * knows at once whether it can wake waiters (PostgreSQL) even when the database is down at
	 * startup; {@code null} lets the provider ask the database.
	 */
	static @Nullable DatabaseKind tableDatabaseKind(ConfigurableListableBeanFactory beanFactory, Environment environment) {
		String url = JdbcLockConnections.jdbcUrl(beanFactory);
		if (url == null) {
			url = environment.getProperty("spring.datasource.url");
		}
		if (url == null || url.isBlank()
				|| !ClassUtils.isPresent("org.springframework.boot.jdbc.DatabaseDriver", beanFactory.getBeanClassLoader())) {
			return null;
		}
		return switch (org.springframework.boot.jdbc.DatabaseDriver.fromJdbcUrl(url)) {
			case POSTGRESQL -> DatabaseKind.POSTGRESQL;
			case MYSQL -> DatabaseKind.MYSQL;
			case MARIADB -> DatabaseKind.MARIADB;
			case H2 -> DatabaseKind.H2;
			default -> null;
		};
	}

	private static LockProvider table(JdbcTableLockProvider provider, JdbcSchemaInitialization schema) {
		if (schema.shouldInitialize()) {
			runWhileDatabaseMayBeDown(provider::initializeSchema, "create the lease table");
		}
		return provider;
	}

	private static LockProvider session(AbstractSessionLockProvider<?> provider, JdbcSchemaInitialization schema) {
		// A DataSource of another database fails here (LockConfigurationException); a down one is logged.
		runWhileDatabaseMayBeDown(provider::validate, "check the database");
		if (schema.shouldInitialize()) {
			runWhileDatabaseMayBeDown(provider::initializeSchema, "create the fencing schema");
		}
		return provider;
	}

	private static SessionLockSettings sessionSettings(DistlockProperties properties, EngineSettings settings) {
		return new SessionLockSettings(settings.instanceId(), properties.getJdbc().getLockConnections(),
				SessionLockSettings.DEFAULT_NETWORK_TIMEOUT);
	}

	private static void runWhileDatabaseMayBeDown(Runnable action, String what) {
		try {
			action.run();
		}
		catch (LockBackendException ex) {
			logger.warn("distlock could not {} because the database is not reachable; locking fails closed until it "
					+ "is: {}", what, ex.getMessage());
		}
	}

	/** Without {@code spring.datasource.url}, only the database can say what it is. */
	private static ProviderType detect(DataSource dataSource) {
		try {
			return switch (DatabaseKind.detect(dataSource)) {
				case POSTGRESQL -> ProviderType.POSTGRES;
				case MYSQL, MARIADB -> ProviderType.MYSQL;
				default -> ProviderType.JDBC_TABLE;
			};
		}
		catch (SQLException | RuntimeException ex) {
			throw new LockConfigurationException("distlock.provider=auto cannot tell which database the DataSource is "
					+ "(it is not reachable: " + ex.getMessage() + "); set distlock.provider to postgres, mysql or "
					+ "jdbc-table", ex);
		}
	}

}
