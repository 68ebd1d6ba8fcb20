package dev.distlock.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.distlock.redis.redlock.RedlockConnections;
import dev.distlock.redis.redlock.RedlockProvider;
import dev.distlock.spi.LockProvider;

/**
 * The redlock provider on the independent masters of {@code distlock.redlock.nodes}, with
 * connections of its own (closed with the provider); only when {@code distlock.provider=redlock}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = { "org.springframework.data.redis.connection.RedisConnectionFactory",
		"io.lettuce.core.RedisClient", "dev.distlock.redis.redlock.RedlockProvider" })
@ConditionalOnLockBackend(LockBackend.REDLOCK)
class RedlockLockProviderConfiguration {

	@Bean
	@ConditionalOnMissingBean(LockProvider.class)
	RedlockProvider distlockLockProvider(DistlockProperties properties) {
		return new RedlockProvider(RedlockConnections.connect(properties.getRedlock().getNodes(),
				properties.getRedis().getKeyPrefix(), RedlockProvider.DEFAULT_NODE_TIMEOUT),
				RedlockProvider.DEFAULT_NODE_TIMEOUT);
	}

}
