package dev.distlock.autoconfigure.scheduling;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.support.GenericApplicationContext;

import dev.distlock.autoconfigure.DistlockAutoConfiguration;
import dev.distlock.memory.InMemoryLockProvider;
import dev.distlock.spi.ForwardingLockProvider;
import dev.distlock.spi.LockProvider;

/** Leader election on the {@code in-memory} provider, one instance shared by the three instances. */
class InMemoryLeaderElectionTests extends LeaderElectionContractTests {

	private final InMemoryLockProvider shared = new InMemoryLockProvider();

	@Override
	protected Class<?>[] backendConfiguration() {
		return new Class<?>[] { Distlock.class };
	}

	@Override
	protected String[] backendProperties() {
		return new String[0];
	}

	@Override
	protected void contribute(GenericApplicationContext context) {
		// Each instance closes its provider on shutdown; the shared one must outlive them.
		context.registerBean(LockProvider.class, () -> new ForwardingLockProvider(this.shared) {
			@Override
			public void close() {
			}
		});
	}

	@ImportAutoConfiguration(DistlockAutoConfiguration.class)
	static class Distlock {

	}

}
