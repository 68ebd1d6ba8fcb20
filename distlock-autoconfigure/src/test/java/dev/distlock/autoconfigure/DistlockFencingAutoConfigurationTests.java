package dev.distlock.autoconfigure;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.distlock.FencedResource;
import dev.distlock.LockBackendException;
import dev.distlock.LockConfigurationException;
import dev.distlock.StaleFencingTokenException;
import dev.distlock.jdbc.fencing.JdbcFencedResource;
import dev.distlock.redis.fencing.RedisFencedResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Which {@link FencedResource} the application gets, against real backends (an embedded H2, the
 * loopback Redis).
 */
class DistlockFencingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, DataRedisAutoConfiguration.class,
				DistlockFencingAutoConfiguration.class))
		.withPropertyValues("distlock.redis.key-prefix=distlock-fence-autoconfig:");

	private static String h2() {
		return "spring.datasource.url=jdbc:h2:mem:fence-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
	}

	private static String redis() {
		return "spring.data.redis.url=" + ProviderSelectionTests.REDIS_URL;
	}

	@Test
	void aJdbcFencedResourceOnTheDataSourceThatCreatesItsTableOnAnEmbeddedDatabase() {
		this.runner.withPropertyValues(h2()).run((context) -> {
			assertThat(context).hasSingleBean(FencedResource.class);
			JdbcFencedResource fence = context.getBean(JdbcFencedResource.class);
			assertThat(fence.tableName()).isEqualTo("distlock_fence");
			String resource = "order:" + UUID.randomUUID();
			fence.check(resource, 2);
			assertThatExceptionOfType(StaleFencingTokenException.class).isThrownBy(() -> fence.check(resource, 1));
		});
	}

	@Test
	void theTableNameComesFromDistlockFencingTableName() {
		this.runner.withPropertyValues(h2(), "distlock.fencing.table-name=app_fence").run((context) -> {
			JdbcFencedResource fence = context.getBean(JdbcFencedResource.class);
			assertThat(fence.tableName()).isEqualTo("app_fence");
			fence.check("order:1", 1);
		});
	}

	@Test
	void aTableNameThatIsNotAnIdentifierFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues(h2(), "distlock.fencing.table-name=fence;drop").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(LockConfigurationException.class)
				.hasMessageContaining("distlock.fencing.table-name 'fence;drop'");
		});
	}

	@Test
	void withInitializeSchemaNeverTheFirstCheckSaysHowToCreateTheTable() {
		this.runner.withPropertyValues(h2(), "distlock.jdbc.initialize-schema=never").run((context) -> {
			FencedResource fence = context.getBean(FencedResource.class);
			assertThatExceptionOfType(LockBackendException.class).isThrownBy(() -> fence.check("order:1", 1))
				.withMessageContaining("classpath:dev/distlock/jdbc/fencing/schema-h2.sql")
				.withMessageContaining("distlock.jdbc.initialize-schema=always");
		});
	}

	@Test
	void aRedisFencedResourceWhenOnlyRedisIsPresentWithTheRedisKeyPrefix() {
		// Without DataSourceAutoConfiguration: with H2 on the class path it would add an embedded database.
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					DistlockFencingAutoConfiguration.class))
			.withPropertyValues(redis(), "distlock.redis.key-prefix=distlock-fence-autoconfig:")
			.run((context) -> {
			assertThat(context).hasSingleBean(FencedResource.class);
			RedisFencedResource fence = context.getBean(RedisFencedResource.class);
			String resource = "order:" + UUID.randomUUID();
			assertThat(fence.fenceKey(resource)).startsWith("distlock-fence-autoconfig:fence:{");
			fence.check(resource, 5);
			assertThatExceptionOfType(StaleFencingTokenException.class).isThrownBy(() -> fence.check(resource, 4));
			context.getBean(org.springframework.data.redis.core.StringRedisTemplate.class).delete(fence.fenceKey(resource));
		});
	}

	@Test
	void theJdbcOneWinsWhenTheApplicationHasADataSourceAndRedis() {
		this.runner.withPropertyValues(h2(), redis())
			.run((context) -> assertThat(context).hasSingleBean(FencedResource.class)
				.getBean(FencedResource.class)
				.isInstanceOf(JdbcFencedResource.class));
	}

	@Test
	void withoutDistlockJdbcOnTheClassPathRedisIsUsedEvenWithADataSource() {
		this.runner.withPropertyValues(h2(), redis())
			.withClassLoader(new FilteredClassLoader(JdbcFencedResource.class))
			.run((context) -> assertThat(context).hasSingleBean(FencedResource.class)
				.getBean(FencedResource.class)
				.isInstanceOf(RedisFencedResource.class));
	}

	@Test
	void withoutSpringDataRedisOnTheClassPathTheJdbcOneStartsAlone() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DistlockFencingAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "dev.distlock.redis"))
			.withPropertyValues(h2())
			.run((context) -> assertThat(context).hasSingleBean(JdbcFencedResource.class));
	}

	@Test
	void noFencedResourceWithoutADataSourceOrRedis() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DistlockFencingAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(FencedResource.class));
	}

	@Test
	void aUserDefinedFencedResourceWins() {
		this.runner.withPropertyValues(h2()).withUserConfiguration(UserFence.class).run((context) -> {
			assertThat(context).hasSingleBean(FencedResource.class);
			assertThat(context.getBean(FencedResource.class)).isSameAs(UserFence.FENCE);
		});
	}

	@Test
	void backsOffWhenDistlockIsDisabled() {
		this.runner.withPropertyValues(h2(), "distlock.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(FencedResource.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserFence {

		static final FencedResource FENCE = (resource, token) -> {
		};

		@Bean
		FencedResource userFencedResource() {
			return FENCE;
		}

	}

}
