package dev.distlock.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

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
import dev.distlock.spi.ForwardingLockProvider;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;
import dev.distlock.spi.ReleaseSubscription;
import dev.distlock.test.server.LoopbackPort;
import dev.distlock.test.server.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the Redis provider promises beyond the contract, on a {@code redis-server} this test starts
 * on a free port (it restarts it and counts its commands, so never the shared server).
 */
class RedisLockProviderTest {

	private static final Duration LONG_LEASE = Duration.ofSeconds(60);

	private static RedisServerProcess server;

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	/** For the test's own look at the server (keys, stats, subscribers). */
	private LettuceConnectionFactory admin;

	@BeforeAll
	static void startServer() {
		assumeTrue(RedisServerProcess.isOnPath(),
				"redis-server and redis-cli are not on the PATH: skipping the Redis restart/pub-sub/round-trip tests");
		server = RedisServerProcess.start();
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	@AfterEach
	void closeResources() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
		this.factories.forEach(LettuceConnectionFactory::destroy);
		if (this.admin != null) {
			this.admin.destroy();
		}
	}

	@Test
	void aLeaseHeldAcrossARedisRestartIsReportedLostAndLockingWorksAgain() {
		List<String> lostReasons = new CopyOnWriteArrayList<>();
		LockEngine engine = engine(provider("distlock:"), new LockEngineObserver() {
			@Override
			public void leaseLost(String providerId, LockOrigin origin, String lockId, long fencingToken, String reason) {
				lostReasons.add(reason);
			}
		});
		LockHandle handle = engine.acquire(LockRequest.of("restart").leaseTime(Duration.ofSeconds(6)));

		server.restart(); // no persistence: every key is gone, as after a crash

		await().atMost(Duration.ofSeconds(20)).until(() -> !handle.isValid());
		assertThat(lostReasons).singleElement().asString().contains("refused the renewal");
		handle.close();
		try (LockHandle next = engine.acquire(LockRequest.of("restart"))) {
			assertThat(next.fencingToken()).as("token from the server-time floor").isGreaterThan(handle.fencingToken());
		}
	}

	@Test
	void extendAfterARestartReportsTheLeaseLostWithoutHanging() {
		RedisLockProvider provider = provider("distlock:");
		Lease lease = provider.tryAcquire(request("restart-extend", "a#1")).orElseThrow();

		server.restart();

		assertThat(provider.extend(lease, LONG_LEASE)).isFalse();
		assertThat(provider.extendAll(List.of(lease))).isEmpty();
		Lease next = provider.tryAcquire(request("restart-extend", "b#1")).orElseThrow();
		assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
	}

	@Test
	void deletingTheLockKeyLosesTheLeaseAndTokensStillIncrease() {
		RedisLockProvider provider = provider("distlock:");
		RedisLockKeys keys = new RedisLockKeys("distlock:");
		Lease first = provider.tryAcquire(request("deleted", "a#1")).orElseThrow();

		redis((connection) -> connection.keyCommands().del(bytes(keys.lockKey("deleted"))));
		assertThat(provider.extend(first, LONG_LEASE)).isFalse();
		Lease second = provider.tryAcquire(request("deleted", "b#1")).orElseThrow();
		assertThat(second.fencingToken()).as("from the surviving counter").isGreaterThan(first.fencingToken());

		redis((connection) -> connection.keyCommands().del(bytes(keys.lockKey("deleted")), bytes(keys.counterKey("deleted"))));
		Lease third = provider.tryAcquire(request("deleted", "c#1")).orElseThrow();
		assertThat(third.fencingToken()).as("from the server-time floor").isGreaterThan(second.fencingToken());
	}

	@Test
	void aGrantIsNeverHandedOutTwiceEvenToAnEqualOwnerToken() {
		RedisLockProvider provider = provider("distlock:");
		provider.tryAcquire(request("twice", "a#1")).orElseThrow();
		assertThat(provider.tryAcquire(request("twice", "a#1"))).isEmpty();
	}

	@Test
	void aStaleLeaseWithAnEqualOwnerTokenCannotRenewOrReleaseTheCurrentGrant() {
		// Two instances misconfigured with one instance id hand out equal owner tokens.
		RedisLockProvider first = provider("distlock:");
		RedisLockProvider second = provider("distlock:");
		Lease stale = first.tryAcquire(request("same-owner", "i1#1")).orElseThrow();
		first.release(stale);
		Lease current = second.tryAcquire(request("same-owner", "i1#1")).orElseThrow();

		assertThat(first.extend(stale, LONG_LEASE)).isFalse();
		assertThat(first.extendAll(List.of(stale))).isEmpty();
		first.release(stale);
		assertThat(second.inspect("same-owner")).map(BackendLock::fencingToken).contains(current.fencingToken());
	}

	@Test
	void aBlockedWaiterIsWokenByTheReleaseMessage() throws Exception {
		List<Long> notifiedMillis = measureWakeUps(provider("distlock:"), 5);
		List<Long> polledMillis = measureWakeUps(new PollingOnly(provider("distlock:")), 3);
		System.out.printf("Waiter acquires after release: pub/sub %s ms (median %d); polling only %s ms (median %d)%n",
				notifiedMillis, median(notifiedMillis), polledMillis, median(polledMillis));
		// A generous liveness bound: the engine's fallback poll alone backs off to 250-750 ms.
		assertThat(median(notifiedMillis)).isLessThan(400);
	}

	private List<Long> measureWakeUps(LockProvider waiterProvider, int runs) throws Exception {
		LockEngine holder = engine(provider("distlock:"), LockEngineObserver.NOOP);
		LockEngine waiter = engine(waiterProvider, LockEngineObserver.NOOP);
		ExecutorService pool = Executors.newSingleThreadExecutor();
		this.resources.add(pool::shutdownNow);
		List<Long> wakeMillis = new ArrayList<>();
		for (int run = 0; run < runs; run++) {
			String id = "wake-" + waiterProvider.getClass().getSimpleName() + "-" + run;
			LockHandle held = holder.acquire(LockRequest.of(id).leaseTime(LONG_LEASE));
			Future<Long> acquiredAt = pool.submit(() -> {
				try (LockHandle handle = waiter.acquire(LockRequest.of(id).waitTime(Duration.ofSeconds(30)))) {
					return System.nanoTime();
				}
			});
			// Set-up, not an assertion: let the waiter's fallback poll back off to its slowest pace.
			Thread.sleep(1000);
			long releasedAt = System.nanoTime();
			held.close();
			wakeMillis.add(TimeUnit.NANOSECONDS.toMillis(acquiredAt.get(30, TimeUnit.SECONDS) - releasedAt));
		}
		return wakeMillis;
	}

	@Test
	void oneSubscriptionServesEveryWaiterOfAProvider() {
		RedisLockProvider provider = provider("distlock:");
		List<CountDownLatch> woken = new ArrayList<>();
		List<Lease> leases = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			CountDownLatch latch = new CountDownLatch(1);
			woken.add(latch);
			leases.add(provider.tryAcquire(request("shared-" + i, "a#" + i)).orElseThrow());
			this.resources.add(provider.onRelease("shared-" + i, latch::countDown));
		}
		assertThat(subscribers("distlock:released")).isEqualTo(1);

		leases.forEach(provider::release);
		await().atMost(Duration.ofSeconds(10)).until(() -> woken.stream().allMatch((latch) -> latch.getCount() == 0));
	}

	@Test
	void releaseMessagesArriveAgainAfterARedisRestart() {
		RedisLockProvider waiter = provider("distlock:");
		CountDownLatch woken = new CountDownLatch(1);
		this.resources.add(waiter.onRelease("resubscribed", woken::countDown));

		server.restart();
		await().atMost(Duration.ofSeconds(20)).until(() -> subscribers("distlock:released") == 1);

		RedisLockProvider holder = provider("distlock:");
		holder.release(holder.tryAcquire(request("resubscribed", "a#1")).orElseThrow());
		await().atMost(Duration.ofSeconds(10)).until(() -> woken.getCount() == 0);
	}

	@Test
	void batchExtendOfAThousandLeasesIsOneScriptCall() {
		RedisLockProvider provider = provider("distlock:");
		List<Lease> leases = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			leases.add(provider.tryAcquire(request("batch-" + i, "a#" + i)).orElseThrow());
		}
		provider.extendAll(leases); // loads the script, so the count below is one EVALSHA

		long scriptCallsBefore = scriptCalls();
		Set<Lease> held = provider.extendAll(leases);
		long scriptCalls = scriptCalls() - scriptCallsBefore;

		System.out.printf("extendAll of %d leases: %d script call(s)%n", leases.size(), scriptCalls);
		assertThat(held).hasSize(1000);
		assertThat(scriptCalls).isEqualTo(1);
	}

	@Test
	void listsLocksUnderItsPrefixWithOwnerTokenAndExpiry() {
		RedisLockProvider provider = provider("listing-a:");
		RedisLockProvider otherPrefix = provider("listing-b:");
		List<String> ids = List.of("plain", "{hash}tag", "ключ 🔒", "back\\slash", "a}b{c", "");
		Instant before = Instant.now();
		Map<String, Lease> leases = ids.stream()
			.collect(Collectors.toMap(Function.identity(), (id) -> provider.tryAcquire(request(id, "owner-" + id.hashCode() + "#1")).orElseThrow()));
		otherPrefix.tryAcquire(request("elsewhere", "b#1")).orElseThrow();

		Map<String, BackendLock> listed = provider.listLocks().stream()
			.collect(Collectors.toMap(BackendLock::lockId, Function.identity()));

		assertThat(listed).containsOnlyKeys(ids);
		leases.forEach((id, lease) -> {
			BackendLock lock = listed.get(id);
			assertThat(lock.owner()).isEqualTo(lease.owner());
			assertThat(lock.fencingToken()).isEqualTo(lease.fencingToken());
			assertThat(lock.expiresAt()).isBetween(before.plus(LONG_LEASE).minusSeconds(5), Instant.now().plus(LONG_LEASE).plusSeconds(5));
		});
	}

	@Test
	void failsWithLockBackendExceptionWhenRedisIsUnreachable() {
		LettuceConnectionFactory unreachable = factory(LoopbackPort.free());
		RedisLockProvider provider = track(new RedisLockProvider(unreachable));
		assertThatExceptionOfType(LockBackendException.class).isThrownBy(() -> provider.tryAcquire(request("down", "a#1")))
			.withMessageContaining("Redis acquire of lock 'down' failed");
		assertThatExceptionOfType(LockBackendException.class).isThrownBy(provider::checkHealth);
		LockEngine engine = engine(provider, LockEngineObserver.NOOP);
		assertThatExceptionOfType(LockBackendException.class).isThrownBy(() -> engine.acquire(LockRequest.of("down")));
		// Waiting still works: the failed subscription makes waiters poll instead.
		assertThat(provider.onRelease("down", () -> {
		})).isNotNull();
	}

	private static long median(List<Long> values) {
		List<Long> sorted = values.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}

	private long scriptCalls() {
		Properties stats = redis((connection) -> connection.serverCommands().info("commandstats"));
		return calls(stats, "cmdstat_evalsha") + calls(stats, "cmdstat_eval");
	}

	private static long calls(Properties stats, String command) {
		String line = stats.getProperty(command);
		if (line == null) {
			return 0;
		}
		for (String field : line.split(",")) {
			if (field.startsWith("calls=")) {
				return Long.parseLong(field.substring("calls=".length()));
			}
		}
		return 0;
	}

	private long subscribers(String channel) {
		String[] reply = server.cli("pubsub", "numsub", channel).trim().split("\\s+");
		return Long.parseLong(reply[reply.length - 1]);
	}

	private <T> T redis(RedisCallback<T> callback) {
		if (this.admin == null) {
			this.admin = RedisTestConnections.standalone(server.port());
		}
		return new StringRedisTemplate(this.admin).execute(callback);
	}

	private RedisLockProvider provider(String prefix) {
		return track(new RedisLockProvider(factory(server.port()), prefix));
	}

	private LettuceConnectionFactory factory(int port) {
		LettuceConnectionFactory factory = RedisTestConnections.standalone(port);
		this.factories.add(factory);
		return factory;
	}

	private LockEngine engine(LockProvider provider, LockEngineObserver observer) {
		LeaseWatchdog watchdog = track(new LeaseWatchdog());
		return new LockEngine(provider, watchdog, EngineSettings.defaults("i" + this.resources.size()), observer);
	}

	private <T extends AutoCloseable> T track(T resource) {
		this.resources.add(resource);
		return resource;
	}

	private static LeaseRequest request(String lockId, String owner) {
		return new LeaseRequest(lockId, owner, LONG_LEASE);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** The same provider without release notifications, to show what waiters would wait without them. */
	private static final class PollingOnly extends ForwardingLockProvider {

		PollingOnly(LockProvider delegate) {
			super(delegate);
		}

		@Override
		public Set<ProviderCapability> capabilities() {
			EnumSet<ProviderCapability> capabilities = EnumSet.copyOf(super.capabilities());
			capabilities.remove(ProviderCapability.RELEASE_NOTIFICATIONS);
			return capabilities;
		}

		@Override
		public ReleaseSubscription onRelease(String lockId, Runnable listener) {
			return ReleaseSubscription.NONE;
		}

	}

}
