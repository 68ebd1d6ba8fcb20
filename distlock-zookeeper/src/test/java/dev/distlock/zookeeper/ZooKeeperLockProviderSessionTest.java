package dev.distlock.zookeeper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.distlock.LockBackendException;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.engine.LockOrigin;
import dev.distlock.spi.BackendLock;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Session behaviour of the ZooKeeper provider on one real server: what happens to locks when a holder's
 * session expires, who owns the Curator client, listings, and waking waiters through watches.
 */
class ZooKeeperLockProviderSessionTest {

	private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);

	private static final String BASE_PATH = "/distlock-session";

	private static TestingServer server;

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final String prefix = "session-" + UUID.randomUUID().toString().substring(0, 8) + "-";

	@BeforeAll
	static void startServer() throws Exception {
		// 250ms ticks: sessions of up to 5s are allowed.
		server = new TestingServer(ZooKeeperTestClients.spec(-1, 250), true);
	}

	@AfterAll
	static void stopServer() throws Exception {
		server.close();
	}

	@AfterEach
	void closeResources() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test
	void holderSessionExpiryLetsAnotherInstanceAcquireAndReportsTheOldLeaseLost() throws Exception {
		CuratorFramework holderClient = client();
		ZooKeeperLockProvider holder = provider(holderClient);
		ZooKeeperLockProvider other = provider(client());
		String id = this.prefix + "expiry";
		Lease lease = holder.tryAcquire(new LeaseRequest(id, "holder#1", Duration.ofSeconds(30))).orElseThrow();
		assertThat(other.tryAcquire(new LeaseRequest(id, "other#1", Duration.ofSeconds(30)))).isEmpty();

		KillSession.kill(holderClient.getZookeeperClient().getZooKeeper());

		AtomicLong nextToken = new AtomicLong();
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
			Optional<Lease> next = other.tryAcquire(new LeaseRequest(id, "other#2", Duration.ofSeconds(30)));
			next.ifPresent((granted) -> nextToken.set(granted.fencingToken()));
			return next.isPresent();
		});
		assertThat(nextToken.get()).isGreaterThan(lease.fencingToken());
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptionsInstanceOf(LockBackendException.class)
			.until(() -> holder.isConnected() && !holder.extend(lease, Duration.ofSeconds(30)));
		assertThat(holder.extendAll(List.of(lease))).isEmpty();
	}

	@Test
	void watchdogMarksTheHandleInvalidWhenTheHolderSessionExpires() throws Exception {
		CuratorFramework holderClient = client();
		List<String> lost = new CopyOnWriteArrayList<>();
		LockEngineObserver observer = new LockEngineObserver() {
			@Override
			public void leaseLost(String providerId, LockOrigin origin, String lockId, long fencingToken, String reason) {
				lost.add(lockId);
			}
		};
		LeaseWatchdog watchdog = resource(new LeaseWatchdog());
		LockEngine engine = new LockEngine(provider(holderClient), watchdog, EngineSettings.defaults("i1"), observer);
		String id = this.prefix + "watchdog";
		LockHandle handle = engine.acquire(LockRequest.of(id).leaseTime(Duration.ofSeconds(3)));
		assertThat(handle.isValid()).isTrue();

		KillSession.kill(holderClient.getZookeeperClient().getZooKeeper());

		await().atMost(Duration.ofSeconds(15)).until(() -> !handle.isValid());
		assertThat(lost).containsExactly(id);
		handle.close();
		assertThat(handle.isValid()).isFalse();
	}

	@Test
	void closingTheProviderLeavesACallerSuppliedClientOpen() throws Exception {
		CuratorFramework client = client();
		ZooKeeperLockProvider provider = new ZooKeeperLockProvider(client, BASE_PATH, Duration.ofSeconds(2));
		provider.tryAcquire(new LeaseRequest(this.prefix + "caller-client", "a#1", Duration.ofSeconds(30)));

		provider.close();

		assertThat(client.getState()).isEqualTo(CuratorFrameworkState.STARTED);
		assertThat(client.checkExists().forPath(BASE_PATH)).isNotNull();
	}

	@Test
	void closingAProviderThatBuiltItsClientFreesItsLocksAtOnce() {
		ZooKeeperLockProvider owning = ZooKeeperLockProvider.connect(server.getConnectString(), SESSION_TIMEOUT,
				Duration.ofSeconds(2), BASE_PATH);
		ZooKeeperLockProvider other = resource(ZooKeeperLockProvider.connect(server.getConnectString(), SESSION_TIMEOUT,
				Duration.ofSeconds(2), BASE_PATH));
		String id = this.prefix + "owned-client";
		assertThat(owning.tryAcquire(new LeaseRequest(id, "a#1", Duration.ofSeconds(30)))).isPresent();

		owning.close();

		// Well within the session timeout: the closed session took its node with it.
		assertThat(other.tryAcquire(new LeaseRequest(id, "b#1", Duration.ofSeconds(30)))).isPresent();
	}

	@Test
	void listsTheLocksOfAllInstancesWithOwnersAndTokensAndSkipsForeignNodes() throws Exception {
		CuratorFramework clientA = client();
		ZooKeeperLockProvider a = provider(clientA);
		ZooKeeperLockProvider b = provider(client());
		String longId = this.prefix + "list-" + "ü/".repeat(300);
		Lease first = a.tryAcquire(new LeaseRequest(this.prefix + "list-a", "a#1", Duration.ofSeconds(30))).orElseThrow();
		Lease second = b.tryAcquire(new LeaseRequest(longId, "b#1", Duration.ofSeconds(30))).orElseThrow();
		clientA.create().forPath(BASE_PATH + "/" + this.prefix + "foreign", "not a lock".getBytes(StandardCharsets.UTF_8));

		List<BackendLock> locks = a.listLocks()
			.stream()
			.filter((lock) -> lock.lockId().startsWith(this.prefix))
			.toList();

		assertThat(locks).containsExactly(new BackendLock(first.lockId(), "a#1", first.fencingToken(), null),
				new BackendLock(longId, "b#1", second.fencingToken(), null));
		clientA.delete().forPath(BASE_PATH + "/" + this.prefix + "foreign");
	}

	@Test
	void keepsLockNodesInsideTheClientNamespace() throws Exception {
		CuratorFramework root = client();
		ZooKeeperLockProvider namespaced = provider(root.usingNamespace("tenant-a"));
		ZooKeeperLockProvider other = provider(client().usingNamespace("tenant-a"));
		String id = this.prefix + "namespaced";
		Lease lease = namespaced.tryAcquire(new LeaseRequest(id, "a#1", Duration.ofSeconds(30))).orElseThrow();

		assertThat(root.checkExists().forPath("/tenant-a" + BASE_PATH + "/" + LockNodeName.of(id))).isNotNull();
		assertThat(namespaced.extend(lease, Duration.ofSeconds(30))).isTrue();
		assertThat(other.inspect(id)).map(BackendLock::owner).contains("a#1");
		assertThat(other.tryAcquire(new LeaseRequest(id, "b#1", Duration.ofSeconds(30)))).isEmpty();
		namespaced.release(lease);
		assertThat(other.tryAcquire(new LeaseRequest(id, "b#2", Duration.ofSeconds(30)))).isPresent();
	}

	@Test
	void wakesAWaitingEngineThroughAWatchWhenTheLockIsReleased() throws Exception {
		LeaseWatchdog watchdog = resource(new LeaseWatchdog());
		LockEngine holder = new LockEngine(provider(client()), watchdog, EngineSettings.defaults("holder"),
				LockEngineObserver.NOOP);
		SubscriptionCountingProvider waiterProvider = new SubscriptionCountingProvider(provider(client()));
		LockEngine waiter = new LockEngine(waiterProvider, watchdog, EngineSettings.defaults("waiter"),
				LockEngineObserver.NOOP);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		resource(executor::shutdownNow);
		String id = this.prefix + "wake-up";
		int rounds = 20;
		List<Long> fromReleaseStart = new ArrayList<>();
		List<Long> fromReleaseEnd = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			LockHandle held = holder.acquire(LockRequest.of(id));
			int subscribed = waiterProvider.subscriptions();
			AtomicLong acquiredAt = new AtomicLong();
			Future<LockHandle> waiting = executor.submit(() -> {
				LockHandle handle = waiter.acquire(LockRequest.of(id).waitTime(Duration.ofSeconds(20)));
				acquiredAt.set(System.nanoTime());
				return handle;
			});
			// The waiter has tried once, found the lock busy and is now watching it.
			await().atMost(Duration.ofSeconds(10)).until(() -> waiterProvider.subscriptions() > subscribed);
			long releaseStart = System.nanoTime();
			held.close();
			long releaseEnd = System.nanoTime();
			LockHandle got = waiting.get(20, TimeUnit.SECONDS);
			assertThat(got.fencingToken()).isGreaterThan(held.fencingToken());
			got.close();
			fromReleaseStart.add(acquiredAt.get() - releaseStart);
			fromReleaseEnd.add(acquiredAt.get() - releaseEnd);
		}
		System.out.printf("ZooKeeper watch wake-up over %d rounds (waiting engine acquires after release):%n"
				+ "  from release() start: median %.1f ms, p90 %.1f ms, max %.1f ms%n"
				+ "  from release() return: median %.1f ms, p90 %.1f ms, max %.1f ms%n", rounds,
				millis(fromReleaseStart, 0.5), millis(fromReleaseStart, 0.9), millis(fromReleaseStart, 1.0),
				millis(fromReleaseEnd, 0.5), millis(fromReleaseEnd, 0.9), millis(fromReleaseEnd, 1.0));
	}

	private static double millis(List<Long> nanos, double quantile) {
		List<Long> sorted = nanos.stream().sorted().toList();
		int index = (int) Math.ceil(quantile * sorted.size()) - 1;
		return sorted.get(Math.max(0, index)) / 1_000_000.0;
	}

	private CuratorFramework client() throws InterruptedException {
		return resource(ZooKeeperTestClients.connectedClient(server.getConnectString(), SESSION_TIMEOUT));
	}

	private ZooKeeperLockProvider provider(CuratorFramework client) {
		return resource(new ZooKeeperLockProvider(client, BASE_PATH, Duration.ofSeconds(2)));
	}

	private <T extends AutoCloseable> T resource(T resource) {
		this.resources.add(resource);
		return resource;
	}

}
