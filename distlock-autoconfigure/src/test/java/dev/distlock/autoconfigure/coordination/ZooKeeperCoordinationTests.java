package dev.distlock.autoconfigure.coordination;

import org.apache.curator.test.TestingServer;

import dev.distlock.autoconfigure.scheduling.TestBackends;

/**
 * Permits and several keys on the {@code zookeeper} provider (ephemeral nodes, session-scoped), each
 * instance with its own Curator client of an in-process ZooKeeper.
 */
class ZooKeeperCoordinationTests extends CoordinationContractTests {

	private TestingServer zookeeper;

	@Override
	protected void startBackend() throws Exception {
		this.zookeeper = new TestingServer(true);
	}

	@Override
	protected void stopBackend() throws Exception {
		this.zookeeper.close();
	}

	@Override
	protected Class<?>[] backendConfiguration() {
		return new Class<?>[] { TestBackends.DistlockOnly.class };
	}

	@Override
	protected String[] backendProperties() {
		return new String[] { "distlock.provider=zookeeper",
				"distlock.zookeeper.connect-string=" + this.zookeeper.getConnectString(),
				"distlock.zookeeper.base-path=/" + this.unique };
	}

}
