package dev.distlock.autoconfigure;

import java.time.Duration;

import javax.sql.DataSource;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.distlock.LockConfigurationException;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.spi.LockProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code distlock.provider} against the backends the application really has: H2, PostgreSQL,
 * MariaDB, Redis and ZooKeeper on loopback (URLs from the environment, local defaults).
 */
class ProviderSelectionTests {

	static final String POSTGRES_URL = env("DISTLOCK_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");

	static final String POSTGRES_USER = env("DISTLOCK_TEST_POSTGRES_USER", "postgres");

	static final String MYSQL_URL = env("DISTLOCK_TEST_MYSQL_URL", "jdbc:mariadb://127.0.0.1:3306/test");

	static final String MYSQL_USER = env("DISTLOCK_TEST_MYSQL_USER", "root");

	static final String REDIS_URL = env("DISTLOCK_TEST_REDIS_URL", "redis://127.0.0.1:6379");

	private static TestingServer zookeeper;

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DataSourceAutoConfiguration.class, DataRedisAutoConfiguration.class,
					DistlockAutoConfiguration.class));

	private final ApplicationContextRunner withoutDatabase = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, DistlockAutoConfiguration.class));

	private final ApplicationContextRunner withoutRedis = this.runner
		.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "org.apache.curator"));

	@BeforeAll
	static void startZooKeeper() throws Exception {
		zookeeper = new TestingServer(true);
	}

	@AfterAll
	static void stopZooKeeper() throws Exception {
		zookeeper.close();
	}

	@Test
	void picksTheLeaseTableOnH2AndCreatesItThere() {
		this.withoutRedis.withPropertyValues("spring.datasource.url=jdbc:h2:mem:select-h2;DB_CLOSE_DELAY=-1")
			.run((context) -> assertLocksWith(context.getBean(LockTemplate.class), context.getBean(LockProvider.class),
					"jdbc-table"));
	}

	@Test
	void theConditionReportSaysWhyAutoChoseTheLeaseTable() {
		this.withoutRedis.withPropertyValues("spring.datasource.url=jdbc:h2:mem:report-h2;DB_CLOSE_DELAY=-1")
			.run((context) -> {
				ConditionEvaluationReport report = ConditionEvaluationReport.get(context.getBeanFactory());
				assertThat(report.getConditionAndOutcomesBySource().get(JdbcLockProviderConfiguration.class.getName()))
					.anySatisfy((outcome) -> assertThat(outcome.getOutcome().getMessage())
						.contains("distlock.provider=auto chose jdbc-table")
						.contains("the DataSource bean 'dataSource'")
						.contains("redis: distlock-redis with spring-data-redis"));
				assertThat(report.getConditionAndOutcomesBySource().get(RedisLockProviderConfiguration.class.getName()))
					.anySatisfy((outcome) -> assertThat(outcome.getOutcome().isMatch()).isFalse());
			});
	}

	@Test
	void anApplicationsOwnLockProviderReplacesTheChosenOne() {
		this.withoutRedis.withPropertyValues("spring.datasource.url=jdbc:h2:mem:own-provider;DB_CLOSE_DELAY=-1")
			.withBean("myProvider", LockProvider.class, dev.distlock.memory.InMemoryLockProvider::new)
			.run((context) -> assertThat(context.getBeansOfType(LockProvider.class)).containsOnlyKeys("myProvider"));
	}

	@Test
	void picksAdvisoryLocksOnPostgreSql() {
		this.withoutRedis
			.withPropertyValues("spring.datasource.url=" + POSTGRES_URL, "spring.datasource.username=" + POSTGRES_USER,
					"distlock.jdbc.initialize-schema=always")
			.run((context) -> assertLocksWith(context.getBean(LockTemplate.class), context.getBean(LockProvider.class),
					"postgres"));
	}

	@Test
	void picksGetLockOnMariaDb() {
		this.withoutRedis
			.withPropertyValues("spring.datasource.url=" + MYSQL_URL, "spring.datasource.username=" + MYSQL_USER,
					"distlock.jdbc.initialize-schema=always")
			.run((context) -> assertLocksWith(context.getBean(LockTemplate.class), context.getBean(LockProvider.class),
					"mysql"));
	}

	@Test
	void keepsTableModeOnPostgreSqlWhenAskedFor() {
		this.withoutRedis
			.withPropertyValues("spring.datasource.url=" + POSTGRES_URL, "spring.datasource.username=" + POSTGRES_USER,
					"distlock.provider=jdbc-table", "distlock.jdbc.initialize-schema=always")
			.run((context) -> assertLocksWith(context.getBean(LockTemplate.class), context.getBean(LockProvider.class),
					"jdbc-table"));
	}

	@Test
	void tableModeWakesWaitersOnPostgreSqlEvenWhenTheDatabaseIsDownAtStartupAndPollsOnMariaDb() {
		this.withoutRedis
			.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/test",
					"spring.datasource.hikari.connection-timeout=500", "distlock.provider=jdbc-table")
			.run((context) -> assertThat(context.getBean(LockProvider.class).capabilities())
				.contains(dev.distlock.spi.ProviderCapability.RELEASE_NOTIFICATIONS));
		this.withoutRedis
			.withPropertyValues("spring.datasource.url=" + MYSQL_URL, "spring.datasource.username=" + MYSQL_USER,
					"distlock.provider=jdbc-table")
			.run((context) -> assertThat(context.getBean(LockProvider.class).capabilities())
				.doesNotContain(dev.distlock.spi.ProviderCapability.RELEASE_NOTIFICATIONS));
	}

	@Test
	void refusesPostgresAdvisoryLocksOnAnotherDatabase() {
		this.withoutRedis
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:not-postgres;DB_CLOSE_DELAY=-1",
					"distlock.provider=postgres")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(LockConfigurationException.class)
					.hasMessageContaining("PostgreSQL");
			});
	}

	@Test
	void missingLeaseTableOnAServerDatabaseSaysHowToCreateIt() {
		String table = "distlock_missing_" + Long.toHexString(System.nanoTime());
		this.withoutRedis
			.withPropertyValues("spring.datasource.url=" + POSTGRES_URL, "spring.datasource.username=" + POSTGRES_USER,
					"distlock.provider=jdbc-table", "distlock.jdbc.table-name=" + table)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				try {
					context.getBean(LockTemplate.class).acquire(LockRequest.of("x"));
					throw new AssertionError("acquired without a table");
				}
				catch (dev.distlock.LockBackendException ex) {
					assertThat(ex).hasStackTraceContaining(table).hasStackTraceContaining("distlock.jdbc.initialize-schema=always");
				}
			});
	}

	@Test
	void picksRedisWhenItIsTheOnlyBackend() {
		this.withoutDatabase.withClassLoader(new FilteredClassLoader("org.apache.curator"))
			.withPropertyValues("spring.data.redis.url=" + REDIS_URL)
			.run((context) -> assertLocksWith(context.getBean(LockTemplate.class), context.getBean(LockProvider.class),
					"redis"));
	}

	@Test
	void refusesToGuessBetweenADataSourceAndRedis() {
		this.runner.withClassLoader(new FilteredClassLoader("org.apache.curator"))
			.withPropertyValues("spring.data.redis.url=" + REDIS_URL,
					"spring.datasource.url=jdbc:h2:mem:ambiguous;DB_CLOSE_DELAY=-1")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(LockConfigurationException.class)
					.hasMessageContaining("ambiguous")
					.hasMessageContaining("jdbc-table")
					.hasMessageContaining("redis")
					.hasMessageContaining("distlock.provider");
			});
	}

	@Test
	void anExplicitProviderResolvesTheAmbiguity() {
		this.runner.withClassLoader(new FilteredClassLoader("org.apache.curator"))
			.withPropertyValues("spring.data.redis.url=" + REDIS_URL,
					"spring.datasource.url=jdbc:h2:mem:explicit;DB_CLOSE_DELAY=-1", "distlock.provider=redis")
			.run((context) -> assertThat(context.getBean(LockProvider.class).id()).isEqualTo("redis"));
	}

	@Test
	void explainsWhatIsMissingForAnExplicitProvider() {
		this.withoutRedis.withPropertyValues("distlock.provider=redis").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("distlock.provider=redis cannot be used")
				.hasMessageContaining("spring-data-redis");
		});
	}

	@ParameterizedTest(name = "distlock.provider={0}")
	@CsvSource(delimiter = '|', textBlock = """
			redis      | RedisConnectionFactory
			postgres   | DataSource
			mysql      | DataSource
			jdbc-table | DataSource
			zookeeper  | CuratorFramework bean and distlock.zookeeper.connect-string is not set
			""")
	void anExplicitProviderWithItsLibraryButNoClientFailsStartupNamingThePropertyAndWhatIsMissing(String provider,
			String missing) {
		// Every client library is on the classpath, but no auto-configuration made a client bean.
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class))
			.withPropertyValues("distlock.provider=" + provider)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(LockConfigurationException.class)
					.hasMessageContaining("distlock.provider=" + provider + " cannot be used")
					.hasMessageContaining("the application has no " + missing);
			});
	}

	@Test
	void anExplicitProviderWithTwoClientsAndNoPrimaryFailsStartupNamingBoth() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class))
			.withUserConfiguration(TwoDataSources.class)
			.withPropertyValues("distlock.provider=jdbc-table")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(LockConfigurationException.class)
					.hasMessageContaining("distlock.provider=jdbc-table cannot be used")
					.hasMessageContaining("several DataSource beans")
					.hasMessageContaining("ordersDataSource")
					.hasMessageContaining("billingDataSource")
					.hasMessageContaining("@Primary");
			});
	}

	@Test
	void buildsItsOwnZooKeeperClientFromTheConnectString() {
		this.withoutDatabase.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withPropertyValues("distlock.zookeeper.connect-string=" + zookeeper.getConnectString())
			.run((context) -> assertLocksWith(context.getBean(LockTemplate.class), context.getBean(LockProvider.class),
					"zookeeper"));
	}

	@Test
	void usesTheApplicationsCuratorFrameworkAndLeavesItOpen() {
		this.withoutDatabase.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withUserConfiguration(UserCurator.class)
			.withPropertyValues("distlock.zookeeper.connect-string=127.0.0.1:1")
			.run((context) -> {
				assertLocksWith(context.getBean(LockTemplate.class), context.getBean(LockProvider.class), "zookeeper");
				context.getBean(LockProvider.class).close();
				assertThat(context.getBean(CuratorFramework.class).getZookeeperClient().isConnected()).isTrue();
			});
	}

	@Test
	void startsWhileTheDatabaseIsDownAndFailsClosed() {
		this.withoutRedis
			.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/test",
					"spring.datasource.hikari.connection-timeout=500", "distlock.provider=jdbc-table")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				try {
					context.getBean(LockTemplate.class).acquire(LockRequest.of("down"));
					throw new AssertionError("acquired while the database is down");
				}
				catch (dev.distlock.LockBackendException expected) {
					// fail closed
				}
			});
	}

	private static void assertLocksWith(LockTemplate template, LockProvider provider, String id) {
		assertThat(provider.id()).isEqualTo(id);
		String lockId = "selection-" + id + "-" + System.nanoTime();
		try (LockHandle handle = template.acquire(LockRequest.of(lockId).leaseTime(Duration.ofSeconds(10)))) {
			assertThat(handle.fencingToken()).isPositive();
			assertThat(handle.isValid()).isTrue();
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoDataSources {

		@Bean
		DataSource ordersDataSource() {
			return new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:orders");
		}

		@Bean
		DataSource billingDataSource() {
			return new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:billing");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCurator {

		@Bean(initMethod = "start", destroyMethod = "close")
		CuratorFramework curator() {
			return CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100));
		}

	}

}
