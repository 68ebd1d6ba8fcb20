package dev.distlock.autoconfigure;

import java.sql.SQLException;
import java.util.Set;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import dev.distlock.LockBackendException;
import dev.distlock.LockConfigurationException;
import dev.distlock.autoconfigure.DistlockProperties.InitializeSchema;
import dev.distlock.autoconfigure.DistlockProperties.ProviderType;
import dev.distlock.engine.EngineSettings;
import dev.distlock.jdbc.DatabaseKind;
import dev.distlock.jdbc.mysql.MySqlLockProvider;
import dev.distlock.jdbc.postgres.PostgresAdvisoryLockProvider;
import dev.distlock.jdbc.session.AbstractSessionLockProvider;
import dev.distlock.jdbc.session.LockConnectionFactory;
import dev.distlock.jdbc.session.SessionLockSettings;
import dev.distlock.jdbc.table.JdbcTableLockProvider;
import dev.distlock.spi.LockProvider;

/**
 * The JDBC providers on the application's primary {@link DataSource}: advisory locks on PostgreSQL
 * and MySQL/MariaDB, the lease table elsewhere (or when asked for). The application still starts
 * when the database is down: checks that need it are logged and retried by the first lock call.
 */
final class JdbcProviderFactory implements ProviderFactory {

	private static final Logger logger = LoggerFactory.getLogger(JdbcProviderFactory.class);

	private static final boolean bootJdbcPresent = ClassUtils.isPresent(
			"org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails", JdbcProviderFactory.class.getClassLoader());

	private final DistlockProperties properties;

	private final ConfigurableListableBeanFactory beanFactory;

	JdbcProviderFactory(DistlockProperties properties, ConfigurableListableBeanFactory beanFactory,
			Environment environment) {
		this.properties = properties;
		this.beanFactory = beanFactory;
	}

	@Override
	public Set<ProviderType> types() {
		return Set.of(ProviderType.JDBC_TABLE, ProviderType.POSTGRES, ProviderType.MYSQL);
	}

	@Override
	public @Nullable String unavailableReason() {
		String[] names = this.beanFactory.getBeanNamesForType(DataSource.class);
		if (names.length == 0) {
			return "the application has no DataSource bean";
		}
		if (dataSource() == null) {
			return "the application has several DataSource beans and none is @Primary";
		}
		return null;
	}

	@Override
	public ProviderType autoType() {
		DataSource dataSource = dataSource();
		if (dataSource == null) {
			return ProviderType.JDBC_TABLE;
		}
		return switch (databaseKind(dataSource)) {
			case POSTGRESQL -> ProviderType.POSTGRES;
			case MYSQL, MARIADB -> ProviderType.MYSQL;
			default -> ProviderType.JDBC_TABLE;
		};
	}

	@Override
	public LockProvider create(ProviderType type) {
		DataSource dataSource = dataSource();
		if (dataSource == null) {
			throw new LockConfigurationException("distlock.provider=" + type.id() + ": " + unavailableReason());
		}
		return switch (type) {
			case POSTGRES -> {
				PostgresAdvisoryLockProvider postgres = new PostgresAdvisoryLockProvider(dataSource,
						lockConnections(dataSource), sessionSettings());
				yield sessionProvider(postgres, postgres::initializeSchema, dataSource);
			}
			case MYSQL -> {
				MySqlLockProvider mysql = new MySqlLockProvider(dataSource, lockConnections(dataSource), sessionSettings());
				yield sessionProvider(mysql, mysql::initializeSchema, dataSource);
			}
			default -> tableProvider(dataSource);
		};
	}

	private LockProvider tableProvider(DataSource dataSource) {
		JdbcTableLockProvider provider = new JdbcTableLockProvider(dataSource, this.properties.getJdbc().getTableName());
		if (shouldInitializeSchema(dataSource)) {
			runWhileDatabaseMayBeDown(provider::initializeSchema, "create the lease table");
		}
		return provider;
	}

	private LockProvider sessionProvider(AbstractSessionLockProvider<?> provider, Runnable initialize,
			DataSource dataSource) {
		// A DataSource of another database fails here (LockConfigurationException); a down one is logged.
		runWhileDatabaseMayBeDown(provider::validate, "check the database");
		if (shouldInitializeSchema(dataSource)) {
			runWhileDatabaseMayBeDown(initialize, "create the fencing schema");
		}
		return provider;
	}

	private SessionLockSettings sessionSettings() {
		String instanceId = this.beanFactory.getBean(EngineSettings.class).instanceId();
		return new SessionLockSettings(instanceId, this.properties.getJdbc().getLockConnections(),
				SessionLockSettings.DEFAULT_NETWORK_TIMEOUT);
	}

	/**
	 * Lock connections straight from the driver, so session locks never pin pooled connections;
	 * from the DataSource only when the connection details are unknown.
	 */
	private LockConnectionFactory lockConnections(DataSource dataSource) {
		if (bootJdbcPresent) {
			LockConnectionFactory fromDetails = BootConnectionDetails.lockConnections(this.beanFactory);
			if (fromDetails != null) {
				return fromDetails;
			}
		}
		logger.warn("distlock: no JdbcConnectionDetails bean, so the {} dedicated lock connections are taken from "
				+ "the DataSource and kept for the application's lifetime; size its pool accordingly",
				this.properties.getJdbc().getLockConnections());
		return LockConnectionFactory.ofDataSource(dataSource);
	}

	private boolean shouldInitializeSchema(DataSource dataSource) {
		InitializeSchema mode = this.properties.getJdbc().getInitializeSchema();
		return mode == InitializeSchema.ALWAYS || (mode == InitializeSchema.EMBEDDED && bootJdbcPresent
				&& BootConnectionDetails.isEmbedded(dataSource));
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

	private @Nullable DataSource dataSource() {
		return this.beanFactory.getBeanProvider(DataSource.class).getIfUnique();
	}

	private DatabaseKind databaseKind(DataSource dataSource) {
		try {
			return DatabaseKind.detect(dataSource);
		}
		catch (SQLException | RuntimeException ex) {
			DatabaseKind fromUrl = bootJdbcPresent ? BootConnectionDetails.kindFromUrl(this.beanFactory) : null;
			if (fromUrl == null) {
				throw new LockConfigurationException("distlock.provider=auto cannot tell which database the DataSource "
						+ "is (it is not reachable: " + ex.getMessage() + "); set distlock.provider to postgres, mysql "
						+ "or jdbc-table", ex);
			}
			return fromUrl;
		}
	}

	/** Spring Boot's JDBC support, which the application may not have. */
	private static final class BootConnectionDetails {

		static @Nullable LockConnectionFactory lockConnections(ConfigurableListableBeanFactory beanFactory) {
			org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails details = beanFactory
				.getBeanProvider(org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails.class)
				.getIfUnique();
			return (details != null && details.getJdbcUrl() != null)
					? LockConnectionFactory.ofDriver(details.getJdbcUrl(), details.getUsername(), details.getPassword())
					: null;
		}

		static @Nullable DatabaseKind kindFromUrl(ConfigurableListableBeanFactory beanFactory) {
			org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails details = beanFactory
				.getBeanProvider(org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails.class)
				.getIfUnique();
			if (details == null || details.getJdbcUrl() == null) {
				return null;
			}
			return switch (org.springframework.boot.jdbc.DatabaseDriver.fromJdbcUrl(details.getJdbcUrl())) {
				case POSTGRESQL -> DatabaseKind.POSTGRESQL;
				case MYSQL -> DatabaseKind.MYSQL;
				case MARIADB -> DatabaseKind.MARIADB;
				case H2 -> DatabaseKind.H2;
				default -> DatabaseKind.OTHER;
			};
		}

		static boolean isEmbedded(DataSource dataSource) {
			try {
				return org.springframework.boot.jdbc.EmbeddedDatabaseConnection.isEmbedded(dataSource);
			}
			catch (RuntimeException ex) {
				return false;
			}
		}

	}

}
