package dev.distlock.autoconfigure.scheduling;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;

import dev.distlock.autoconfigure.DistlockAutoConfiguration;

/** Once per fire time on the {@code redis} provider (Redis on loopback, a key prefix of its own). */
class RedisOncePerFireTimeTests extends OncePerFireTimeContractTests {

	static final String REDIS_URL = TestBackends.REDIS_URL;

	@Override
	protected Class<?>[] backendConfiguration() {
		return new Class<?>[] { Redis.class };
	}

	@Override
	protected String[] backendProperties() {
		return new String[] { "spring.data.redis.url=" + REDIS_URL, "distlock.provider=redis",
				"distlock.redis.key-prefix=" + this.unique + ":" };
	}

	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, DistlockAutoConfiguration.class })
	static class Redis {

	}

}
