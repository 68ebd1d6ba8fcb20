package dev.distlock.autoconfigure.coordination;

import dev.distlock.autoconfigure.scheduling.TestBackends;

/** Permits and several keys on the {@code redis} provider (Redis on loopback, a key prefix of its own). */
class RedisCoordinationTests extends CoordinationContractTests {

	@Override
	protected Class<?>[] backendConfiguration() {
		return new Class<?>[] { TestBackends.Redis.class };
	}

	@Override
	protected String[] backendProperties() {
		return new String[] { "spring.data.redis.url=" + TestBackends.REDIS_URL, "distlock.provider=redis",
				"distlock.redis.key-prefix=" + this.unique + ":" };
	}

}
