package dev.distlock.autoconfigure;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

import dev.distlock.jdbc.session.LockConnectionFactory;

/**
 * Where the advisory providers get their dedicated lock connections: straight from the driver with
 * Spring Boot's {@code JdbcConnectionDetails}, so session locks never pin pooled connections; from
 * the DataSource only when the connection details are unknown.
 */
final class JdbcLockConnections {

	private static final Logger logger = LoggerFactory.getLogger(JdbcLockConnections.class);

	private static final boolean bootJdbcPresent = ClassUtils.isPresent(
			"org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails", JdbcLockConnections.class.getClassLoader());

	private JdbcLockConnections() {
	}

	static LockConnectionFactory of(ConfigurableListableBeanFactory beanFactory, DataSource dataSource,
			DistlockProperties properties) {
		LockConnectionFactory fromDetails = bootJdbcPresent ? fromConnectionDetails(beanFactory) : null;
		if (fromDetails != null) {
			return fromDetails;
		}
		logger.warn("distlock: no JdbcConnectionDetails bean, so the {} dedicated lock connections are taken from "
				+ "the DataSource and kept for the application's lifetime; size its pool accordingly",
				properties.getJdbc().getLockConnections());
		return LockConnectionFactory.ofDataSource(dataSource);
	}

	/**
	 * Where the {@code jdbc-table} provider opens its one listen connection on PostgreSQL: from the
	 * connection details, or {@code null} to let it take one from the DataSource.
	 */
	static @Nullable LockConnectionFactory forListening(ConfigurableListableBeanFactory beanFactory) {
		return bootJdbcPresent ? fromConnectionDetails(beanFactory) : null;
	}

	/** The application's JDBC URL from the connection details, if known without connecting. */
	static @Nullable String jdbcUrl(ConfigurableListableBeanFactory beanFactory) {
		if (!bootJdbcPresent) {
			return null;
		}
		org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails details = beanFactory
			.getBeanProvider(org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails.class)
			.getIfUnique();
		return (details != null) ? details.getJdbcUrl() : null;
	}

	private static @Nullable LockConnectionFactory fromConnectionDetails(ConfigurableListableBeanFactory beanFactory) {
		org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails details = beanFactory
			.getBeanProvider(org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails.class)
			.getIfUnique();
		return (details != null && details.getJdbcUrl() != null)
				? LockConnectionFactory.ofDriver(details.getJdbcUrl(), details.getUsername(), details.getPassword())
				: null;
	}

}
