package dev.distlock.autoconfigure.coordination;

import dev.distlock.autoconfigure.scheduling.TestBackends;

/** Permits and several keys on the {@code redlock} provider ({@link TestBackends#redlock}). */
class RedlockCoordinationTests extends CoordinationContractTests {

	@Override
	protected Class<?>[] backendConfiguration() {
		return new Class<?>[] { TestBackends.Redis.class };
	}

	@Override
	protected String[] backendProperties() {
		return TestBackends.redlock(this.unique + ":");
	}

}
