package dev.distlock.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.distlock.autoconfigure.DistlockProperties.ProviderType;
import dev.distlock.spi.LockProvider;

/**
 * The lock provider, unless the application defines its own {@link LockProvider} beans.
 */
@Configuration(proxyBeanMethods = false)
class LockProviderConfiguration {

	@Bean
	@ConditionalOnMissingBean(LockProvider.class)
	LockProvider distlockLockProvider(DistlockProperties properties, ConfigurableListableBeanFactory beanFactory,
			Environment environment) {
		DistlockPropertiesValidator.validate(properties);
		return new LockProviderSelector(factories(properties, beanFactory, environment)).select(properties.getProvider());
	}

	private static List<ProviderFactory> factories(DistlockProperties properties,
			ConfigurableListableBeanFactory beanFactory, Environment environment) {
		List<ProviderFactory> factories = new ArrayList<>();
		factories.add(OptionalProviderFactory.of("dev.distlock.autoconfigure.JdbcProviderFactory",
				new String[] { "org.springframework.jdbc.core.JdbcTemplate", "dev.distlock.jdbc.table.JdbcTableLockProvider" },
				"distlock-jdbc with spring-jdbc (spring-boot-starter-jdbc)",
				Set.of(ProviderType.JDBC_TABLE, ProviderType.POSTGRES, ProviderType.MYSQL), ProviderType.JDBC_TABLE,
				properties, beanFactory, environment));
		factories.add(OptionalProviderFactory.of("dev.distlock.autoconfigure.RedisProviderFactory",
				new String[] { "org.springframework.data.redis.connection.RedisConnectionFactory",
						"dev.distlock.redis.RedisLockProvider" },
				"distlock-redis with spring-data-redis (spring-boot-starter-data-redis)", Set.of(ProviderType.REDIS),
				ProviderType.REDIS, properties, beanFactory, environment));
		factories.add(OptionalProviderFactory.of("dev.distlock.autoconfigure.ZooKeeperProviderFactory",
				new String[] { "org.apache.curator.framework.CuratorFramework",
						"dev.distlock.zookeeper.ZooKeeperLockProvider" },
				"distlock-zookeeper with curator-recipes", Set.of(ProviderType.ZOOKEEPER), ProviderType.ZOOKEEPER,
				properties, beanFactory, environment));
		factories.add(new InMemoryProviderFactory(environment));
		return factories;
	}

}
