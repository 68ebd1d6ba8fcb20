package dev.distlock.zookeeper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.distlock.LockBackendException;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The ZooKeeper provider on a real three-server ensemble: locks survive the loss of one server, fail
 * closed without a quorum, and work again, with higher fencing tokens, once the quorum is back.
 */
class ZooKeeperQuorumTest {

	private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);

	private static final Duration LEASE = Duration.ofSeconds(30);

	private static TestingCluster cluster;

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final String prefix = "quorum-" + UUID.randomUUID().toString().substring(0, 8) + "-";

	@BeforeAll
	static void startCluster() throws Exception {
		// 300ms ticks: sessions of up to 6s, and quick elections.
		cluster = new TestingCluster(ZooKeeperTestClients.spec(1, 300), ZooKeeperTestClients.spec(2, 300),
				ZooKeeperTestClients.spec(3, 300));
		cluster.start();
	}

	@AfterAll
	static void stopCluster() throws Exception {
		cluster.close();
	}

	@AfterEach
	void closeResources() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test
	void locksStayHeldAndNewOnesAreGrantedWhenOneServerDies() throws Exception {
		CuratorFramework holderClient = client();
		ZooKeeperLockProvider holder = provider(holderClient);
		ZooKeeperLockProvider other = provider(client());
		Lease held = holder.tryAcquire(new LeaseRequest(this.prefix + "held", "holder#1", LEASE)).orElseThrow();
		InstanceSpec holderServer = cluster.findConnectionInstance(holderClient.getZookeeperClient().getZooKeeper());

		assertThat(cluster.killServer(holderServer)).isTrue();
		try {
			// The holder moves to another server within its session timeout: its lock was never released.
			await().atMost(Duration.ofSeconds(20))
				.ignoreExceptionsInstanceOf(LockBackendException.class)
				.until(() -> holder.extend(held, LEASE));
			assertThat(other.tryAcquire(new LeaseRequest(held.lockId(), "other#1", LEASE))).isEmpty();
			Lease fresh = awaitLease(other, this.prefix + "fresh", "other#2");
			assertThat(fresh.fencingToken()).isGreaterThan(held.fencingToken());
			assertThat(holder.extend(held, LEASE)).isTrue();
		}
		finally {
			cluster.restartServer(holderServer);
		}
	}

	@Test
	void failsClosedWithoutAQuorumAndGrantsHigherTokensOnceItIsBack() throws Exception {
		CuratorFramework holderClient = client();
		List<ConnectionState> holderStates = ZooKeeperTestClients.recordStates(holderClient);
		ZooKeeperLockProvider holder = provider(holderClient);
		ZooKeeperLockProvider other = provider(client());
		Lease held = holder.tryAcquire(new LeaseRequest(this.prefix + "held", "holder#1", LEASE)).orElseThrow();
		List<InstanceSpec> killed = cluster.getInstances().stream().limit(2).toList();

		for (InstanceSpec server : killed) {
			assertThat(cluster.killServer(server)).isTrue();
		}
		try {
			long start = System.nanoTime();
			assertThatExceptionOfType(LockBackendException.class)
				.isThrownBy(() -> other.tryAcquire(new LeaseRequest(this.prefix + "no-quorum", "other#1", LEASE)));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("fails closed in bounded time")
				.isLessThan(Duration.ofSeconds(20));

			await().atMost(Duration.ofSeconds(10)).until(() -> holderStates.contains(ConnectionState.SUSPENDED));
			if (!holderStates.contains(ConnectionState.LOST)) {
				assertThatExceptionOfType(LockBackendException.class).as("suspended: neither held nor lost")
					.isThrownBy(() -> holder.extend(held, LEASE));
			}
			await().atMost(SESSION_TIMEOUT.multipliedBy(4)).until(() -> holderStates.contains(ConnectionState.LOST));
			assertThat(holderStates.indexOf(ConnectionState.SUSPENDED))
				.isLessThan(holderStates.indexOf(ConnectionState.LOST));
			assertThat(holder.extend(held, LEASE)).as("session lost: lease lost").isFalse();
			assertThat(holder.leasesAtRisk()).isTrue();
		}
		finally {
			for (InstanceSpec server : killed) {
				cluster.restartServer(server);
			}
		}

		Lease again = awaitLease(other, held.lockId(), "other#2");
		assertThat(again.fencingToken()).isGreaterThan(held.fencingToken());
		Lease fresh = awaitLease(holder, this.prefix + "fresh", "holder#2");
		assertThat(fresh.fencingToken()).isGreaterThan(again.fencingToken());
		assertThat(holder.extend(held, LEASE)).as("the old session's lease stays lost").isFalse();
		assertThat(holder.extend(fresh, LEASE)).isTrue();
	}

	/** Acquires once the ensemble serves again and any expired session's node is gone. */
	private static Lease awaitLease(ZooKeeperLockProvider provider, String lockId, String owner) {
		AtomicLong token = new AtomicLong();
		await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(LockBackendException.class).until(() -> {
			Optional<Lease> lease = provider.tryAcquire(new LeaseRequest(lockId, owner, LEASE));
			lease.ifPresent((granted) -> token.set(granted.fencingToken()));
			return lease.isPresent();
		});
		return new Lease(lockId, owner, token.get(), LEASE);
	}

	private CuratorFramework client() throws InterruptedException {
		CuratorFramework client = ZooKeeperTestClients.connectedClient(cluster.getConnectString(), SESSION_TIMEOUT);
		this.resources.add(client);
		return client;
	}

	private ZooKeeperLockProvider provider(CuratorFramework client) {
		ZooKeeperLockProvider provider = new ZooKeeperLockProvider(client, "/distlock-quorum", Duration.ofSeconds(2));
		this.resources.add(provider);
		return provider;
	}

}
