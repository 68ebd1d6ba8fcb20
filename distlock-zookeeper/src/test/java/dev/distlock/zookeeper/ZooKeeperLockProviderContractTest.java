package dev.distlock.zookeeper;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.distlock.spi.ForwardingLockProvider;
import dev.distlock.spi.LockProvider;
import dev.distlock.test.LockProviderContractTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ZooKeeper provider meets the contract on a real (in-process) ZooKeeper server; every simulated
 * instance has its own Curator client and so its own session. The TCK kills a session the way the
 * server would expire it: another client attaches to the same session and closes it.
 */
class ZooKeeperLockProviderContractTest extends LockProviderContractTest {

	private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

	private static TestingServer server;

	private final Map<LockProvider, CuratorFramework> clients = new ConcurrentHashMap<>();

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
		try {
			CuratorFramework client = ZooKeeperTestClients.connectedClient(server.getConnectString(), SESSION_TIMEOUT);
			// A provider does not close a client it was given: this one closes it after the provider.
			LockProvider provider = new ForwardingLockProvider(
					new ZooKeeperLockProvider(client, "/distlock-tck", Duration.ofSeconds(5))) {
				@Override
				public void close() {
					super.close();
					client.close();
					ZooKeeperLockProviderContractTest.this.clients.remove(this);
				}
			};
			this.clients.put(provider, client);
			return provider;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Closing a second handle on the same session makes the server expire it and delete its nodes. */
	@Override
	protected void killSessions(LockProvider provider) {
		try {
			ZooKeeper session = this.clients.get(provider).getZookeeperClient().getZooKeeper();
			CountDownLatch connected = new CountDownLatch(1);
			ZooKeeper killer = new ZooKeeper(server.getConnectString(), (int) SESSION_TIMEOUT.toMillis(), (event) -> {
				if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
					connected.countDown();
				}
			}, session.getSessionId(), session.getSessionPasswd());
			assertThat(connected.await(10, TimeUnit.SECONDS)).as("attached to the session to kill").isTrue();
			killer.close();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not kill the ZooKeeper session of " + provider, ex);
		}
	}

	@Override
	protected LockProvider createUnreachableProvider() {
		return ZooKeeperLockProvider.connect("127.0.0.1:1", SESSION_TIMEOUT, Duration.ofSeconds(1), "/distlock-tck");
	}

}
