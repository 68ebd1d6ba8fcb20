package dev.distlock.zookeeper;

import java.time.Duration;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.distlock.spi.LockProvider;
import dev.distlock.test.LockProviderContractTest;

/**
 * The ZooKeeper provider meets the contract on a real (in-process) ZooKeeper server; every simulated
 * instance has its own Curator client and so its own session.
 */
class ZooKeeperLockProviderContractTest extends LockProviderContractTest {

	private static TestingServer server;

	@BeforeAll
	static void startServer() throws Exception {
		server = new TestingServer(true);
	}

	@AfterAll
	static void stopServer() throws Exception {
		server.close();
	}

	@Override
	protected LockProvider createProvider(int instance) {
		return ZooKeeperLockProvider.connect(server.getConnectString(), Duration.ofSeconds(10), Duration.ofSeconds(5),
				"/distlock-tck");
	}

}
