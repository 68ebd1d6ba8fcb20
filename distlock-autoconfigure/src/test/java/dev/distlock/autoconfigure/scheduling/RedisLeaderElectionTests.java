package dev.distlock.autoconfigure.scheduling;

/** Leader election on the {@code redis} provider (Redis on loopback, a key prefix of its own). */
class RedisLeaderElectionTests extends LeaderElectionContractTests {

	@Override
	protected Class<?>[] backendConfiguration() {
		return new Class<?>[] { RedisOncePerFireTimeTests.Redis.class };
	}

	@Override
	protected String[] backendProperties() {
		return new String[] { "spring.data.redis.url=" + RedisOncePerFireTimeTests.REDIS_URL, "distlock.provider=redis",
				"distlock.redis.key-prefix=" + this.unique + ":" };
	}

}
