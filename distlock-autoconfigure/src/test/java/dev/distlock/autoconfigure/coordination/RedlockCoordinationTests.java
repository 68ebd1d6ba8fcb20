package dev.distlock.autoconfigure.coordination;

import dev.distlock.autoconfigure.scheduling.TestBackends;

/**
 * Permits and several keys on the {@code redlock} provider: three "independent" nodes that are three
 * databases of the loopback Redis (the majority rule and the token write-back run as on three servers;
 * node failures are covered by the provider's own tests on private servers).
 */
class RedlockCoordinationTests extends CoordinationContractTests {

	@Override
	protected Class<?>[] backendConfiguration() {
		return new Class<?>[] { TestBackends.Redis.class };
	}

	@Override
	protected String[] backendProperties() {
		String redis = TestBackends.REDIS_URL;
		return new String[] { "spring.data.redis.url=" + redis, "distlock.provider=redlock",
				"distlock.redlock.nodes=" + redis + "/1," + redis + "/2," + redis + "/3",
				"distlock.redis.key-prefix=" + this.unique + ":" };
	}

}
