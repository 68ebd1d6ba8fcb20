package dev.distlock.zookeeper;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.test.InstanceSpec;

import static org.assertj.core.api.Assertions.assertThat;

/** Curator clients and server specs for tests: short sessions, so that expiry tests stay fast. */
final class ZooKeeperTestClients {

	private ZooKeeperTestClients() {
	}

	/**
	 * A server spec on free ports whose tick allows sessions of up to 20 ticks.
	 * @param serverId the server's id in a cluster, or -1 for a standalone server
	 */
	static InstanceSpec spec(int serverId, int tickTimeMillis) {
		return new InstanceSpec(null, -1, -1, -1, true, serverId, tickTimeMillis, -1);
	}

	/** A started, connected client with its own session. */
	static CuratorFramework connectedClient(String connectString, Duration sessionTimeout) throws InterruptedException {
		CuratorFramework client = CuratorFrameworkFactory.builder()
			.connectString(connectString)
			.sessionTimeoutMs((int) sessionTimeout.toMillis())
			.connectionTimeoutMs(2000)
			.retryPolicy(new RetryNTimes(2, 100))
			.build();
		client.start();
		assertThat(client.blockUntilConnected(20, TimeUnit.SECONDS)).as("connected to %s", connectString).isTrue();
		return client;
	}

	/** Records the connection states a client goes through. */
	static List<ConnectionState> recordStates(CuratorFramework client) {
		List<ConnectionState> states = new CopyOnWriteArrayList<>();
		client.getConnectionStateListenable().addListener((c, state) -> states.add(state));
		return states;
	}

}
