package dev.distlock.autoconfigure.scheduling;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

import dev.distlock.autoconfigure.DistlockAutoConfiguration;

/**
 * Leader election on the {@code zookeeper} provider (ephemeral nodes, session-scoped), each
 * instance with its own Curator client of an in-process ZooKeeper.
 */
class ZooKeeperLeaderElectionTests extends LeaderElectionContractTests {

	private static TestingServer zookeeper;

	@BeforeAll
	static void startZooKeeper() throws Exception {
		zookeeper = new TestingServer(true);
	}

	@AfterAll
	static void stopZooKeeper() throws Exception {
		zookeeper.close();
	}

	@Override
	protected Class<?>[] backendConfiguration() {
		return new Class<?>[] { Distlock.class };
	}

	@Override
	protected String[] backendProperties() {
		return new String[] { "distlock.provider=zookeeper",
				"distlock.zookeeper.connect-string=" + zookeeper.getConnectString(),
				"distlock.zookeeper.base-path=/" + this.unique };
	}

	@ImportAutoConfiguration(DistlockAutoConfiguration.class)
	static class Distlock {

	}

}
