package dev.distlock.autoconfigure.scheduling;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;

import dev.distlock.autoconfigure.DistlockAutoConfiguration;

/** The loopback servers of the provider tests (URLs from the environment, local defaults). */
final class TestBackends {

	static final String POSTGRES_URL = env("DISTLOCK_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");

	static final String POSTGRES_USER = env("DISTLOCK_TEST_POSTGRES_USER", "postgres");

	static final String MYSQL_URL = env("DISTLOCK_TEST_MYSQL_URL", "jdbc:mariadb://127.0.0.1:3306/test");

	static final String MYSQL_USER = env("DISTLOCK_TEST_MYSQL_USER", "root");

	private TestBackends() {
	}

	static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

	/** A DataSource from {@code spring.datasource.*} and distlock on it. */
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DistlockAutoConfiguration.class })
	static class Jdbc {

	}

}
