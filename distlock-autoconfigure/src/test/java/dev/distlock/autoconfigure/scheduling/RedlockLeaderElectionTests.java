package dev.distlock.autoconfigure.scheduling;

/** Leader election on the {@code redlock} provider ({@link TestBackends#redlock}). */
class RedlockLeaderElectionTests extends LeaderElectionContractTests {

	@Override
	protected Class<?>[] backendConfiguration() {
		return new Class<?>[] { TestBackends.Redis.class };
	}

	@Override
	protected String[] backendProperties() {
		return TestBackends.redlock(this.unique + ":");
	}

}
