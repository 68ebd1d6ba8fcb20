package dev.distlock.test;

import dev.distlock.memory.InMemoryLockProvider;
import dev.distlock.spi.LockProvider;

/**
 * The in-memory provider meets the contract; every simulated instance shares one JVM-wide map.
 */
class InMemoryLockProviderContractTest extends LockProviderContractTest {

	private final InMemoryLockProvider shared = new InMemoryLockProvider();

	@Override
	protected LockProvider createProvider(int instance) {
		return this.shared;
	}

}
