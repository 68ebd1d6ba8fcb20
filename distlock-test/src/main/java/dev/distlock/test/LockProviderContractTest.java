package dev.distlock.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.distlock.spi.BackendLock;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ReleaseSubscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The provider contract (TCK). A provider's integration test extends this class and implements
 * {@link #createProvider(int)}; every test here must pass against the real backend.
 *
 * <p>Instances are simulated by separate provider objects (separate connections or sessions), as
 * several application instances would have. Lease expiry tests are skipped for
 * {@linkplain LockProvider#isSessionScoped() session-scoped} providers, whose leases end with the
 * session: their own tests prove that.
 */
public abstract class LockProviderContractTest {

	/** A short lease, long enough for a loaded CI machine to do a round trip well within it. */
	protected static final Duration SHORT_LEASE = Duration.ofMillis(800);

	protected static final Duration LONG_LEASE = Duration.ofSeconds(60);

	private final Map<Integer, LockProvider> providers = new ConcurrentHashMap<>();

	private final AtomicInteger owners = new AtomicInteger();

	private String prefix = "";

	/**
	 * A provider as seen by application instance {@code instance} (0, 1, ...): different instances
	 * must not share connections or sessions. Called at most once per instance and test; the
	 * provider is closed after the test.
	 */
	protected abstract LockProvider createProvider(int instance);

	@BeforeEach
	void uniquePrefix(TestInfo test) {
		// Unique ids per test run so tests never see each other's (or an earlier run's) locks.
		this.prefix = "tck-" + test.getTestMethod().map((m) -> m.getName()).orElse("t") + "-"
				+ UUID.randomUUID().toString().substring(0, 8) + "-";
	}

	@AfterEach
	void closeProviders() {
		this.providers.values().forEach(LockProvider::close);
		this.providers.clear();
	}

	protected final LockProvider instance(int instance) {
		return this.providers.computeIfAbsent(instance, this::createProvider);
	}

	protected final String lockId(String name) {
		return this.prefix + name;
	}

	protected final String newOwner(int instance) {
		return "tck-instance-" + instance + "#" + this.owners.incrementAndGet();
	}

	protected final Optional<Lease> tryAcquire(int instance, String lockId, Duration leaseTime) {
		return instance(instance).tryAcquire(new LeaseRequest(lockId, newOwner(instance), leaseTime));
	}

	protected final Lease acquire(int instance, String lockId, Duration leaseTime) {
		Optional<Lease> lease = tryAcquire(instance, lockId, leaseTime);
		assertThat(lease).as("lease on %s for instance %d", lockId, instance).isPresent();
		return lease.get();
	}

	@Test
	void grantsALockToOneOwnerAtATime() {
		String id = lockId("exclusive");
		Lease lease = acquire(0, id, LONG_LEASE);
		assertThat(lease.lockId()).isEqualTo(id);
		assertThat(lease.fencingToken()).isPositive();
		assertThat(tryAcquire(1, id, LONG_LEASE)).as("another instance").isEmpty();
		assertThat(tryAcquire(0, id, LONG_LEASE)).as("another owner on the same instance").isEmpty();
	}

	@Test
	void releaseLetsTheNextOwnerAcquire() {
		String id = lockId("release");
		Lease lease = acquire(0, id, LONG_LEASE);
		instance(0).release(lease);
		assertThat(tryAcquire(1, id, LONG_LEASE)).isPresent();
	}

	@Test
	void releasesOnlyWhenOwnerMatches() {
		String id = lockId("owner-release");
		Lease lease = acquire(0, id, LONG_LEASE);
		Lease impostor = new Lease(id, newOwner(1), lease.fencingToken(), LONG_LEASE);
		instance(1).release(impostor);
		assertThat(tryAcquire(1, id, LONG_LEASE)).as("still held by the real owner").isEmpty();
		assertThat(instance(1).extend(impostor, LONG_LEASE)).as("impostor cannot extend").isFalse();
		assertThat(instance(0).extend(lease, LONG_LEASE)).as("owner can extend").isTrue();
	}

	@Test
	void leaseExpiresAfterLeaseTime() {
		assumeFalse(instance(0).isSessionScoped(), "session-scoped leases end with the session");
		String id = lockId("expiry");
		acquire(0, id, SHORT_LEASE);
		assertThat(tryAcquire(1, id, LONG_LEASE)).as("before expiry").isEmpty();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
			.until(() -> tryAcquire(1, id, LONG_LEASE).isPresent());
	}

	@Test
	void extendKeepsTheLeaseBeyondItsFirstLeaseTime() throws InterruptedException {
		String id = lockId("extend");
		Lease lease = acquire(0, id, SHORT_LEASE);
		long until = System.nanoTime() + SHORT_LEASE.multipliedBy(3).toNanos();
		while (System.nanoTime() < until) {
			assertThat(instance(0).extend(lease, SHORT_LEASE)).isTrue();
			assertThat(tryAcquire(1, id, LONG_LEASE)).isEmpty();
			Thread.sleep(SHORT_LEASE.toMillis() / 4);
		}
	}

	@Test
	void extendReportsALeaseLostAfterExpiry() {
		assumeFalse(instance(0).isSessionScoped(), "session-scoped leases end with the session");
		String id = lockId("lost");
		Lease lease = acquire(0, id, SHORT_LEASE);
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
			.until(() -> tryAcquire(1, id, LONG_LEASE).isPresent());
		assertThat(instance(0).extend(lease, LONG_LEASE)).isFalse();
	}

	@Test
	void releasingALostLeaseIsHarmless() {
		assumeFalse(instance(0).isSessionScoped(), "session-scoped leases end with the session");
		String id = lockId("lost-release");
		Lease lost = acquire(0, id, SHORT_LEASE);
		AtomicLong newToken = new AtomicLong();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
			Optional<Lease> lease = tryAcquire(1, id, LONG_LEASE);
			lease.ifPresent((l) -> newToken.set(l.fencingToken()));
			return lease.isPresent();
		});
		instance(0).release(lost);
		assertThat(tryAcquire(2, id, LONG_LEASE)).as("new holder keeps the lock").isEmpty();
		assertThat(newToken.get()).isGreaterThan(lost.fencingToken());
	}

	@Test
	void fencingTokensStrictlyIncreaseAcrossReleases() {
		String id = lockId("fencing-release");
		long previous = 0;
		for (int i = 0; i < 10; i++) {
			int instance = i % 2;
			Lease lease = acquire(instance, id, LONG_LEASE);
			assertThat(lease.fencingToken()).as("grant %d", i).isGreaterThan(previous);
			previous = lease.fencingToken();
			instance(instance).release(lease);
		}
	}

	@Test
	void fencingTokensStrictlyIncreaseAcrossExpiry() {
		assumeFalse(instance(0).isSessionScoped(), "session-scoped leases end with the session");
		String id = lockId("fencing-expiry");
		Lease first = acquire(0, id, SHORT_LEASE);
		AtomicLong second = new AtomicLong();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
			Optional<Lease> lease = tryAcquire(1, id, LONG_LEASE);
			lease.ifPresent((l) -> second.set(l.fencingToken()));
			return lease.isPresent();
		});
		assertThat(second.get()).isGreaterThan(first.fencingToken());
	}

	@ParameterizedTest
	@ValueSource(strings = { "plain", "ünïcödé-ключ-鍵-🔒", "with/slashes/../and/..", "quotes'\"`; DROP TABLE x; --",
			"spaces and\ttabs", "percent%_wildcards*?", "{hash}tag", "back\\slash", "colon:separated:key", ".", "..",
			"/" })
	void acceptsAnyStringAsALockId(String key) {
		String id = lockId(key);
		Lease lease = acquire(0, id, LONG_LEASE);
		assertThat(tryAcquire(1, id, LONG_LEASE)).isEmpty();
		assertThat(instance(0).extend(lease, LONG_LEASE)).isTrue();
		instance(0).release(lease);
		assertThat(tryAcquire(1, id, LONG_LEASE)).isPresent();
	}

	@Test
	void acceptsAThousandCharacterLockId() {
		String id = lockId("long-" + "x".repeat(1000));
		Lease lease = acquire(0, id, LONG_LEASE);
		assertThat(tryAcquire(1, id, LONG_LEASE)).isEmpty();
		String almostSame = id.substring(0, id.length() - 1) + "y";
		assertThat(tryAcquire(1, almostSame, LONG_LEASE)).as("differs only in the last character").isPresent();
		instance(0).release(lease);
	}

	@Test
	void differentLockIdsNeverBlockEachOther() {
		List<String> ids = List.of("a", "A", "a:b", "a/b", "a b", "ab", "b", "a\u0000", "á");
		for (String name : ids) {
			acquire(0, lockId(name), LONG_LEASE);
		}
		assertThat(tryAcquire(1, lockId("a:"), LONG_LEASE)).isPresent();
	}

	@Test
	void mutualExclusionLosesNoUpdatesUnderContention() throws Exception {
		String id = lockId("counter");
		int threads = 8;
		int iterations = 25;
		int[] counter = { 0 }; // deliberately not atomic: only the lock protects it
		AtomicInteger overlaps = new AtomicInteger();
		AtomicInteger inside = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> futures = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int instance = t % 3;
			futures.add(pool.submit(() -> {
				start.await();
				for (int i = 0; i < iterations; i++) {
					Lease lease = awaitLease(instance, id);
					if (inside.incrementAndGet() != 1) {
						overlaps.incrementAndGet();
					}
					int read = counter[0];
					Thread.yield();
					counter[0] = read + 1;
					inside.decrementAndGet();
					instance(instance).release(lease);
				}
				return null;
			}));
		}
		start.countDown();
		for (Future<?> future : futures) {
			future.get(3, TimeUnit.MINUTES);
		}
		pool.shutdown();
		assertThat(overlaps.get()).as("overlapping critical sections").isZero();
		assertThat(counter[0]).isEqualTo(threads * iterations);
	}

	private Lease awaitLease(int instance, String id) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
		while (System.nanoTime() < deadline) {
			// Several threads share an instance's provider here, on purpose: a provider must be
			// thread-safe even though the engine normally lets one thread per lock through.
			Optional<Lease> lease = instance(instance).tryAcquire(new LeaseRequest(id, newOwner(instance), LONG_LEASE));
			if (lease.isPresent()) {
				return lease.get();
			}
			Thread.sleep(1);
		}
		throw new AssertionError("no lease on " + id + " within 2 minutes");
	}

	@Test
	void extendAllKeepsHeldLeasesAndReportsLostOnes() {
		List<Lease> leases = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			leases.add(acquire(0, lockId("batch-" + i), LONG_LEASE));
		}
		instance(0).release(leases.get(3));
		Lease foreign = new Lease(lockId("batch-5"), newOwner(1), 1, LONG_LEASE);
		List<Lease> toExtend = new ArrayList<>(leases);
		toExtend.add(foreign);
		Set<Lease> held = instance(0).extendAll(toExtend);
		assertThat(held).hasSize(19).doesNotContain(leases.get(3), foreign);
	}

	@Test
	void extendAllOfNothingIsEmpty() {
		assertThat(instance(0).extendAll(List.of())).isEmpty();
	}

	@Test
	void notifiesWaitersWhenALockIsReleased() {
		assumeTrue(instance(1).notifiesReleases(), "provider does not notify releases");
		String id = lockId("notify");
		Lease lease = acquire(0, id, LONG_LEASE);
		CountDownLatch woken = new CountDownLatch(1);
		try (ReleaseSubscription subscription = instance(1).onRelease(id, woken::countDown)) {
			instance(0).release(lease);
			await().atMost(Duration.ofSeconds(10)).until(() -> woken.getCount() == 0);
		}
	}

	@Test
	void listsHeldLocksWhereTheBackendCanBeListed() {
		String id = lockId("listed");
		Lease lease = acquire(0, id, LONG_LEASE);
		Optional<BackendLock> seen = instance(1).inspect(id);
		assumeTrue(seen.isPresent() || instance(1).listLocks().isPresent(), "provider cannot list its backend");
		assertThat(seen).isPresent();
		assertThat(seen.get().owner()).isEqualTo(lease.owner());
		instance(0).release(lease);
		assertThat(instance(1).inspect(id)).isEmpty();
	}

	@Test
	void forceReleaseFreesTheLockAndTheNextGrantHasAHigherToken() {
		String id = lockId("force");
		Lease lease = acquire(0, id, LONG_LEASE);
		boolean released;
		try {
			released = instance(1).forceRelease(id);
		}
		catch (UnsupportedOperationException ex) {
			assumeTrue(false, "provider cannot force-release");
			return;
		}
		assertThat(released).isTrue();
		Lease next = acquire(1, id, LONG_LEASE);
		assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
		assertThat(instance(0).extend(lease, LONG_LEASE)).as("evicted holder's lease is lost").isFalse();
	}

	@Test
	void answersAHealthCheck() {
		instance(0).checkHealth();
	}

}
