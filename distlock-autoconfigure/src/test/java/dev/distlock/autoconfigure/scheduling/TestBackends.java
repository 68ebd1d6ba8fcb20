package dev.distlock.autoconfigure.scheduling;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;

import dev.distlock.autoconfigure.DistlockAutoConfiguration;

/** The loopback servers of the provider tests (URLs from the environment, local defaults). */
public final class TestBackends {

	public static final String POSTGRES_URL = env("DISTLOCK_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");

	public static final String POSTGRES_USER = env("DISTLOCK_TEST_POSTGRES_USER", "postgres");

	public static final String MYSQL_URL = env("DISTLOCK_TEST_MYSQL_URL", "jdbc:mariadb://127.0.0.1:3306/test");

	public static final String REDIS_URL = env("DISTLOCK_TEST_REDIS_URL", "redis://127.0.0.1:6379");

	public static final String MYSQL_USER = env("DISTLOCK_TEST_MYSQL_USER", "root");

	private TestBackends() {
	}

	/**
	 * {@code redlock} on three "independent" nodes that are three databases of the loopback Redis (the
	 * majority rule and the token write-back run as on three servers; node failures are covered by the
	 * provider's own tests on private servers), with {@link Redis} as configuration.
	 */
	public static String[] redlock(String keyPrefix) {
		return new String[] { "spring.data.redis.url=" + REDIS_URL, "distlock.provider=redlock",
				"distlock.redlock.nodes=" + REDIS_URL + "/1," + REDIS_URL + "/2," + REDIS_URL + "/3",
				"distlock.redis.key-prefix=" + keyPrefix };
	}

	public static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

	/** A Redis client from {@code spring.data.redis.*} and distlock on it. */
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, DistlockAutoConfiguration.class })
	public static class Redis {

	}

	/** distlock alone: its provider comes from its own properties or from a bean the test registers. */
	@ImportAutoConfiguration(DistlockAutoConfiguration.class)
	public static class DistlockOnly {

	}

	/** A DataSource from {@code spring.datasource.*} and distlock on it. */
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DistlockAutoConfiguration.class })
	public static class Jdbc {

	}

}
