package dev.distlock.autoconfigure;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.distlock.FencedResource;
import dev.distlock.LockBackendException;
import dev.distlock.jdbc.fencing.JdbcFencedResource;
import dev.distlock.redis.fencing.RedisFencedResource;

/**
 * The {@link FencedResource} bean: in a table of the application's {@code DataSource} when it has
 * one (so the check joins its transactions), else in Redis. The application's own
 * {@code FencedResource} bean wins.
 */
@AutoConfiguration(after = DistlockAutoConfiguration.class,
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "distlock.enabled", matchIfMissing = true)
@Import(DistlockPropertiesConfiguration.class)
public final class DistlockFencingAutoConfiguration {

	// Each nested configuration is guarded by @ConditionalOnClass, so its optional types load only
	// when present. Redis applies only where JDBC does not (nested classes have no reliable order).

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "dev.distlock.jdbc.fencing.JdbcFencedResource",
			"org.springframework.jdbc.core.JdbcTemplate" })
	@ConditionalOnSingleCandidate(DataSource.class)
	static class JdbcFencing {

		private static final Logger logger = LoggerFactory.getLogger(JdbcFencing.class);

		@Bean
		@ConditionalOnMissingBean(FencedResource.class)
		JdbcFencedResource distlockFencedResource(DataSource dataSource,
				DistlockProperties properties) {
			JdbcFencedResource fence = new JdbcFencedResource(
					dataSource, properties.getFencing().getTableName());
			if (new JdbcSchemaInitialization(properties.getJdbc().getInitializeSchema(), dataSource).shouldInitialize()) {
				try {
					fence.initializeSchema();
				}
				catch (LockBackendException ex) {
					// Like the lock tables: start while the database is down; the first check says what is missing.
					logger.warn("distlock could not create the fencing table '{}' because the database is not "
							+ "reachable; checks fail until it is: {}", fence.tableName(), ex.getMessage());
				}
			}
			return fence;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "dev.distlock.redis.fencing.RedisFencedResource",
			"org.springframework.data.redis.connection.RedisConnectionFactory" })
	@ConditionalOnSingleCandidate(type = "org.springframework.data.redis.connection.RedisConnectionFactory")
	@Conditional(JdbcFencingDoesNotApply.class)
	static class RedisFencing {

		@Bean
		@ConditionalOnMissingBean(FencedResource.class)
		RedisFencedResource distlockFencedResource(
				RedisConnectionFactory connectionFactory,
				DistlockProperties properties) {
			return new RedisFencedResource(connectionFactory,
					properties.getRedis().getKeyPrefix());
		}

	}

	/** The opposite of {@link JdbcFencing}'s conditions. */
	static final class JdbcFencingDoesNotApply extends NoneNestedConditions {

		JdbcFencingDoesNotApply() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnClass(name = { "dev.distlock.jdbc.fencing.JdbcFencedResource",
				"org.springframework.jdbc.core.JdbcTemplate" })
		@ConditionalOnSingleCandidate(DataSource.class)
		static final class JdbcFencingApplies {

		}

	}

}
