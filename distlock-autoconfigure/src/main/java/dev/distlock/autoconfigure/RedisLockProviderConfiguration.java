package dev.distlock.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.distlock.redis.RedisLockProvider;
import dev.distlock.spi.LockProvider;

/**
 * The redis provider on the application's {@link RedisConnectionFactory}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = { "org.springframework.data.redis.connection.RedisConnectionFactory",
		"dev.distlock.redis.RedisLockProvider" })
@ConditionalOnLockBackend(LockBackend.REDIS)
class RedisLockProviderConfiguration {

	@Bean
	@ConditionalOnMissingBean(LockProvider.class)
	RedisLockProvider distlockLockProvider(RedisConnectionFactory connectionFactory, DistlockProperties properties) {
		return new RedisLockProvider(connectionFactory, properties.getRedis().getKeyPrefix(),
				properties.getRedis().replicaAcknowledgement());
	}

}
