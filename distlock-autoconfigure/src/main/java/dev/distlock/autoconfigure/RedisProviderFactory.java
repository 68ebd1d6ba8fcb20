package dev.distlock.autoconfigure;

import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.distlock.autoconfigure.DistlockProperties.ProviderType;
import dev.distlock.redis.RedisLockProvider;
import dev.distlock.spi.LockProvider;

/**
 * The redis provider on the application's {@link RedisConnectionFactory}.
 */
final class RedisProviderFactory implements ProviderFactory {

	private final DistlockProperties properties;

	private final ConfigurableListableBeanFactory beanFactory;

	RedisProviderFactory(DistlockProperties properties, ConfigurableListableBeanFactory beanFactory,
			Environment environment) {
		this.properties = properties;
		this.beanFactory = beanFactory;
	}

	@Override
	public Set<ProviderType> types() {
		return Set.of(ProviderType.REDIS);
	}

	@Override
	public @Nullable String unavailableReason() {
		if (this.beanFactory.getBeanNamesForType(RedisConnectionFactory.class).length == 0) {
			return "the application has no RedisConnectionFactory bean";
		}
		return (connectionFactory() != null) ? null
				: "the application has several RedisConnectionFactory beans and none is @Primary";
	}

	@Override
	public ProviderType autoType() {
		return ProviderType.REDIS;
	}

	@Override
	public LockProvider create(ProviderType type) {
		RedisConnectionFactory connectionFactory = connectionFactory();
		if (connectionFactory == null) {
			throw new dev.distlock.LockConfigurationException("distlock.provider=redis: " + unavailableReason());
		}
		return new RedisLockProvider(connectionFactory, this.properties.getRedis().getKeyPrefix());
	}

	private @Nullable RedisConnectionFactory connectionFactory() {
		return this.beanFactory.getBeanProvider(RedisConnectionFactory.class).getIfUnique();
	}

}
