package dev.distlock.autoconfigure.scheduling;

/**
 * Leader election on the {@code redlock} provider: three "independent" nodes that are three databases
 * of the loopback Redis (node failures are covered by the provider's own tests on private servers).
 */
class RedlockLeaderElectionTests extends LeaderElectionContractTests {

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
