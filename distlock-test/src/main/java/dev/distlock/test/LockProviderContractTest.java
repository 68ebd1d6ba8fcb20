package dev.distlock.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.distlock.LockBackendException;
import dev.distlock.LockContext;
import dev.distlock.LockGroup;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.HeldLock;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.spi.BackendLock;
import dev.distlock.spi.ForwardingLockProvider;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;
import dev.distlock.spi.ProviderCapability;
import dev.distlock.spi.ReleaseSubscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The provider contract (TCK). A provider's integration test extends this class and implements
 * {@link #createProvider(int)}; every test here must pass against the real backend.
 *
 * <p>Instances are simulated by separate provider objects (separate connections or sessions), as
 * several application instances would have. A provider with
 * {@link ProviderCapability#SESSION_SCOPED_LEASES} must also implement {@link #killSessions}, so that
 * the tests of leases that end without a release (by expiry on a TTL backend) run for it too, with
 * the session ended behind the holder's back. Tests of optional capabilities are skipped for
 * providers that do not declare them; {@link #createUnreachableProvider()} lets the health check
 * prove it can fail.
 *
 * <p>The last section runs a {@link LockEngine} on the provider under test: what the engine promises
 * at the end of a lease (the in-JVM gate opens, the holder's thread may acquire again,
 * {@link LockHandle#extend}) holds on every provider.
 *
 * <p>One class on purpose (DESIGN.md: "one abstract JUnit 5 class that every provider's integration
 * test extends"): a provider's test extends it once and gets every case, so it is longer than our
 * usual classes; each case is a short specification.
 */
public abstract class LockProviderContractTest {

	/** A short lease, long enough for a loaded CI machine to do a round trip well within it. */
	protected static final Duration SHORT_LEASE = Duration.ofMillis(800);

	protected static final Duration LONG_LEASE = Duration.ofSeconds(60);

	private final Map<Integer, LockProvider> providers = new ConcurrentHashMap<>();

	private final AtomicInteger owners = new AtomicInteger();

	private String prefix = "";

	private final List<AutoCloseable> closeAfterTest = new ArrayList<>();

	/**
	 * A provider as seen by application instance {@code instance} (0, 1, ...): different instances
	 * must not share connections or sessions. Called at most once per instance and test; the
	 * provider is closed after the test.
	 */
	protected abstract LockProvider createProvider(int instance);

	/**
	 * Ends every backend session of the given provider behind its back, as a network partition, a
	 * server restart or an operator would (PostgreSQL {@code pg_terminate_backend}, MySQL
	 * {@code KILL}, ZooKeeper session expiry): every lease it holds must then be reported lost, and
	 * the provider must be usable again afterwards. Required for providers with
	 * {@link ProviderCapability#SESSION_SCOPED_LEASES}; returns once the backend freed their locks.
	 */
	protected void killSessions(LockProvider provider) {
		throw new AssertionError(getClass().getName() + " tests a session-scoped provider ("
				+ provider.id() + ") and must override killSessions(LockProvider) so the TCK can prove it reports "
				+ "leases lost when their session ends");
	}

	/**
	 * A provider like {@link #createProvider(int)} on a backend that cannot be reached (e.g. a closed
	 * loopback port), with timeouts short enough to fail in seconds; closed after the test.
	 * @return {@code null} if the provider has no backend to lose (in-memory)
	 */
	protected @Nullable LockProvider createUnreachableProvider() {
		return null;
	}

	@BeforeEach
	void uniquePrefix(TestInfo test) {
		// Unique ids per test run so tests never see each other's (or an earlier run's) locks.
		this.prefix = "tck-" + test.getTestMethod().map((m) -> m.getName()).orElse("t") + "-"
				+ UUID.randomUUID().toString().substring(0, 8) + "-";
	}

	@AfterEach
	void closeProviders() throws Exception {
		// A case that failed before closing its handles must not leave them on this thread (JUnit's
		// main thread) for the next test class, which would see a lock it never took.
		LockContext.all().forEach(LockHandle::close);
		for (AutoCloseable closeable : this.closeAfterTest) {
			closeable.close();
		}
		this.providers.values().forEach(LockProvider::close);
		this.providers.clear();
	}

	protected final boolean isSessionScoped() {
		return instance(0).capabilities().contains(ProviderCapability.SESSION_SCOPED_LEASES);
	}

	private boolean can(ProviderCapability capability) {
		return instance(0).capabilities().contains(capability);
	}

	/**
	 * Ends instance 0's lease on {@code id} without a release: waits out a TTL lease of
	 * {@link #SHORT_LEASE}, kills the session of a session-scoped one. Returns once instance 1
	 * acquired the lock (the lease so obtained is returned).
	 */
	private Lease endWithoutReleaseAndAcquireOn1(String id) {
		if (isSessionScoped()) {
			killSessions(instance(0));
		}
		AtomicReference<Lease> next = new AtomicReference<>();
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
			tryAcquire(1, id, LONG_LEASE).ifPresent(next::set);
			return next.get() != null;
		});
		return next.get();
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
		assumeFalse(isSessionScoped(), "session-scoped leases do not expire by time; leaseEndsWithItsSession");
		String id = lockId("expiry");
		acquire(0, id, SHORT_LEASE);
		assertThat(tryAcquire(1, id, LONG_LEASE)).as("before expiry").isEmpty();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
			.until(() -> tryAcquire(1, id, LONG_LEASE).isPresent());
	}

	@Test
	void leaseEndsWithItsSession() {
		assumeTrue(isSessionScoped(), "TTL leases end by time: leaseExpiresAfterLeaseTime");
		String id = lockId("session-end");
		Lease lease = acquire(0, id, SHORT_LEASE);
		assertThat(tryAcquire(1, id, LONG_LEASE)).as("a session lease outlives its lease time").isEmpty();
		Lease next = endWithoutReleaseAndAcquireOn1(id);
		assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
		assertThat(tryAcquire(0, id, LONG_LEASE)).as("the killed holder's instance, once usable again").isEmpty();
	}

	/**
	 * A TTL lease extended before each lease time runs out outlives a lease granted at the same time
	 * and not extended (which shows the lease time is short enough to matter). Session leases never
	 * expire by time, so this claim does not apply to them; {@link #extendReportsALeaseThatEndedAsLost}
	 * proves what their extend confirms.
	 */
	@Test
	void extendKeepsTheLeaseBeyondItsFirstLeaseTime() throws InterruptedException {
		assumeFalse(isSessionScoped(), "session leases never expire by time, extended or not");
		String id = lockId("extend");
		String control = lockId("not-extended");
		Lease lease = acquire(0, id, SHORT_LEASE);
		acquire(0, control, SHORT_LEASE);
		// Instance 1 sees the control held, too (a provider that judges expiry by watching a record
		// stay unchanged for the lease time, like dynamodb, starts counting here).
		assertThat(tryAcquire(1, control, LONG_LEASE)).as("the control before it expired").isEmpty();
		long until = System.nanoTime() + SHORT_LEASE.multipliedBy(3).toNanos();
		while (System.nanoTime() < until) {
			assertThat(instance(0).extend(lease, SHORT_LEASE)).isTrue();
			assertThat(tryAcquire(1, id, LONG_LEASE)).isEmpty();
			Thread.sleep(SHORT_LEASE.toMillis() / 4);
		}
		assertThat(tryAcquire(1, control, LONG_LEASE)).as("the lease that was not extended expired").isPresent();
	}

	@Test
	void extendReportsALeaseThatEndedAsLost() {
		String id = lockId("lost");
		Lease lease = acquire(0, id, SHORT_LEASE);
		endWithoutReleaseAndAcquireOn1(id);
		assertThat(extendOnceTheProviderCanTell(0, lease)).isFalse();
	}

	/**
	 * Extends the lease; a session-scoped provider may throw {@link LockBackendException} while it
	 * reconnects after its session was killed (it can tell neither way yet), then must answer.
	 */
	private boolean extendOnceTheProviderCanTell(int instance, Lease lease) {
		return await().atMost(Duration.ofSeconds(20)).ignoreException(LockBackendException.class)
			.until(() -> instance(instance).extend(lease, LONG_LEASE), (answer) -> true);
	}

	@Test
	void releasingALostLeaseIsHarmless() {
		String id = lockId("lost-release");
		Lease lost = acquire(0, id, SHORT_LEASE);
		Lease next = endWithoutReleaseAndAcquireOn1(id);
		instance(0).release(lost);
		assertThat(tryAcquire(2, id, LONG_LEASE)).as("new holder keeps the lock").isEmpty();
		assertThat(next.fencingToken()).isGreaterThan(lost.fencingToken());
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
	void fencingTokensStrictlyIncreaseAcrossAnEndedLease() {
		String id = lockId("fencing-expiry");
		Lease first = acquire(0, id, SHORT_LEASE);
		Lease second = endWithoutReleaseAndAcquireOn1(id);
		assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
	}

	@ParameterizedTest
	@ValueSource(strings = { "plain", "ünïcödé-ключ-鍵-🔒", "with/slashes/../and/..", "quotes'\"`; DROP TABLE x; --",
			"spaces and\ttabs", "percent%_wildcards*?", "{hash}tag", "back\\slash", "colon:separated:key", ".", "..",
			"/", "nul\u0000inside", "control\u0001\u001b[31m\u007f\r\nchars", "\u0000",
			"'; DROP TABLE x; --", "x' OR '1'='1", "\"; DELETE FROM distlock_lock; --", "$1 ${x} #{y} :name ?",
			"../../etc/passwd", "/leading/and/trailing/", "a//b", "%2F%2e%2e%00", "C:\\Windows\\..\\x",
			"*", "[a-z]?", "עברית-RTL-עם-ספרות-123", "مرحبا-بالعالم", "\u202Eevil-override\u202C",
			"👩\u200D👩\u200D👧\u200D👦", "🔒🗝️", "e\u0301-combining", "\uFEFFbom", "line\u2028separator",
			"  padded  ", " " })
	void acceptsAnyStringAsALockId(String key) {
		String id = lockId(key);
		Lease lease = acquire(0, id, LONG_LEASE);
		assertThat(tryAcquire(1, id, LONG_LEASE)).isEmpty();
		assertThat(instance(0).extend(lease, LONG_LEASE)).isTrue();
		instance(0).release(lease);
		assertThat(tryAcquire(1, id, LONG_LEASE)).isPresent();
	}

	@Test
	void acceptsATenKilobyteLockIdAndTellsItFromOneDifferingInTheLastCharacter() {
		String id = lockId("10k-" + "ü".repeat(5 * 1024));
		Lease lease = acquire(0, id, LONG_LEASE);
		assertThat(tryAcquire(1, id, LONG_LEASE)).isEmpty();
		assertThat(tryAcquire(1, id.substring(0, id.length() - 1) + "u", LONG_LEASE)).isPresent();
		assertThat(instance(0).extend(lease, LONG_LEASE)).isTrue();
		instance(0).release(lease);
		assertThat(tryAcquire(1, id, LONG_LEASE)).isPresent();
	}

	@Test
	void idsDifferingOnlyInANulOrControlCharacterAreDifferentLocks() {
		String id = lockId("nul");
		Lease withNul = acquire(0, id + "\u0000", LONG_LEASE);
		assertThat(tryAcquire(1, id + "\uFFFD", LONG_LEASE)).as("NUL is not folded into another character").isPresent();
		assertThat(tryAcquire(1, id, LONG_LEASE)).as("NUL is not dropped").isPresent();
		assertThat(tryAcquire(1, id + "\u0001", LONG_LEASE)).isPresent();
		instance(0).release(withNul);
	}

	@Test
	void idsThatATextNormalizingBackendWouldMergeAreDifferentLocks() {
		// Unicode normalization (NFC/NFD, compatibility forms), case folding and trailing-space padding
		// (SQL PAD SPACE collations) must never make two ids one lock.
		List<List<String>> lookAlikes = List.of(List.of("\u00e9", "e\u0301"), List.of("a", "a "), List.of("\ufb01", "fi"),
				List.of("\uff21", "A"), List.of("\u00df", "ss"), List.of("\u212b", "\u00c5"), List.of("i", "\u0131"));
		for (List<String> pair : lookAlikes) {
			String first = lockId("look-alike-" + pair.get(0));
			String second = lockId("look-alike-" + pair.get(1));
			Lease lease = acquire(0, first, LONG_LEASE);
			assertThat(tryAcquire(1, second, LONG_LEASE)).as("'%s' is not '%s'", pair.get(1), pair.get(0)).isPresent();
			instance(0).release(lease);
		}
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
		assumeTrue(can(ProviderCapability.RELEASE_NOTIFICATIONS), "provider does not notify releases");
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
		assumeTrue(can(ProviderCapability.LISTING), "provider cannot list its backend");
		String id = lockId("listed");
		Lease lease = acquire(0, id, LONG_LEASE);
		Optional<BackendLock> seen = instance(1).inspect(id);
		assertThat(seen).isPresent();
		assertThat(seen.get().owner()).isEqualTo(lease.owner());
		assertThat(instance(1).listLocks()).filteredOn((lock) -> lock.lockId().equals(id)).singleElement()
			.satisfies((lock) -> assertThat(lock.fencingToken()).isIn(0L, lease.fencingToken()));
		instance(0).release(lease);
		assertThat(instance(1).inspect(id)).isEmpty();
	}

	@Test
	void operationsOfMissingCapabilitiesAreRefused() {
		if (!can(ProviderCapability.LISTING)) {
			assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> instance(0).listLocks());
		}
		if (!can(ProviderCapability.FORCE_RELEASE)) {
			assertThatExceptionOfType(UnsupportedOperationException.class)
				.isThrownBy(() -> instance(0).forceRelease(lockId("refused")));
		}
		assertThat(instance(0).capabilities()).as("stable").isEqualTo(instance(1).capabilities());
	}

	@Test
	void forceReleaseFreesTheLockAndTheNextGrantHasAHigherToken() {
		assumeTrue(can(ProviderCapability.FORCE_RELEASE), "provider cannot force-release");
		String id = lockId("force");
		Lease lease = acquire(0, id, LONG_LEASE);
		boolean released = instance(1).forceRelease(id);
		assertThat(released).isTrue();
		Lease next = acquire(1, id, LONG_LEASE);
		assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
		assertThat(instance(0).extend(lease, LONG_LEASE)).as("evicted holder's lease is lost").isFalse();
	}

	@Test
	void healthCheckPassesOnTheBackendAndFailsWhenItCannotBeReached() {
		instance(0).checkHealth();
		LockProvider unreachable = createUnreachableProvider();
		assumeTrue(unreachable != null, "the provider has no backend to lose");
		this.closeAfterTest.add(unreachable);
		assertThatExceptionOfType(LockBackendException.class).isThrownBy(unreachable::checkHealth);
	}

	// ---- the engine on this provider: an ended lease ends everywhere ----------------------------

	/** A renewal every {@code SHORT_LEASE / 3} keeps the watchdog's lost-lease detection quick. */
	private LockEngine engine(int instance) {
		LeaseWatchdog watchdog = new LeaseWatchdog();
		this.closeAfterTest.add(watchdog);
		return new LockEngine(instance(instance), watchdog, EngineSettings.defaults("tck-engine-" + instance),
				LockEngineObserver.NOOP);
	}

	/** An engine whose provider counts acquisition attempts, to see who passed the in-JVM gate. */
	private LockEngine engine(int instance, AtomicInteger attempts) {
		LeaseWatchdog watchdog = new LeaseWatchdog();
		this.closeAfterTest.add(watchdog);
		LockProvider counting = new ForwardingLockProvider(instance(instance)) {
			@Override
			public Optional<Lease> tryAcquire(LeaseRequest request) {
				attempts.incrementAndGet();
				return super.tryAcquire(request);
			}
		};
		return new LockEngine(counting, watchdog, EngineSettings.defaults("tck-engine-" + instance),
				LockEngineObserver.NOOP);
	}

	/** Runs the task on a new thread: another thread of the same instance, never one that holds a lock. */
	private static <T> T onAnotherThread(Callable<T> task) throws Exception {
		FutureTask<T> future = new FutureTask<>(task);
		new Thread(future, "tck-other-thread").start();
		return future.get(30, TimeUnit.SECONDS);
	}

	/** Ends instance 0's lease behind its back: an operator's force release, or a killed session. */
	private void loseInTheBackend(String id) {
		if (isSessionScoped()) {
			killSessions(instance(0));
		}
		else {
			assumeTrue(can(ProviderCapability.FORCE_RELEASE), "no way to end a TTL lease behind its holder's back");
			assertThat(instance(1).forceRelease(id)).isTrue();
		}
	}

	@Test
	void aThreadWhoseUnrenewedLeaseRanOutGetsANewGrantWhenItAsksAgain() {
		LockEngine engine = engine(0);
		LockRequest request = LockRequest.of(lockId("again")).leaseTime(SHORT_LEASE).autoRenew(false);
		LockHandle first = engine.acquire(request);
		await().atMost(Duration.ofSeconds(10)).until(() -> !first.isValid());

		Optional<LockHandle> again = engine.tryAcquire(request);

		assertThat(again).as("a new grant, not a re-entry into the ended one").isPresent();
		assertThat(again.get().fencingToken()).isGreaterThan(first.fencingToken());
		assertThat(again.get().isValid()).isTrue();
		again.get().close();
		first.close();
	}

	@Test
	void aThreadWhoseUnrenewedLeaseRanOutFindsTheLockBusyWhenAnotherInstanceTookIt() {
		LockEngine engine = engine(0);
		LockEngine other = engine(1);
		LockRequest request = LockRequest.of(lockId("taken")).leaseTime(SHORT_LEASE).autoRenew(false);
		LockHandle first = engine.acquire(request);
		LockHandle taken = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
			.until(() -> other.tryAcquire(LockRequest.of(request.lockId())).orElse(null), Objects::nonNull);

		assertThat(engine.tryAcquire(request)).as("busy, not a lost-lease error").isEmpty();
		assertThat(first.isValid()).isFalse();
		taken.close();
		first.close();
	}

	@Test
	void anUnclosedLeaseThatRanOutLetsTheInstancesOtherThreadsAcquire() throws Exception {
		AtomicInteger attempts = new AtomicInteger();
		LockEngine engine = engine(0, attempts);
		LockRequest request = LockRequest.of(lockId("ran-out")).leaseTime(SHORT_LEASE).autoRenew(false);
		LockHandle stale = engine.acquire(request);
		await().atMost(Duration.ofSeconds(10)).until(() -> !stale.isValid());

		LockHandle next = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(
				() -> onAnotherThread(() -> engine.tryAcquire(LockRequest.of(request.lockId()))).orElse(null),
				Objects::nonNull);

		assertTheNewHolderSurvivesTheLateClose(engine, attempts, stale, next);
	}

	@Test
	void anUnclosedLeaseLostInTheBackendLetsTheInstancesOtherThreadsAcquire() throws Exception {
		AtomicInteger attempts = new AtomicInteger();
		LockEngine engine = engine(0, attempts);
		String id = lockId("lost");
		LockHandle stale = engine.acquire(LockRequest.of(id).leaseTime(SHORT_LEASE));
		loseInTheBackend(id);
		await().atMost(Duration.ofSeconds(20)).until(() -> !stale.isValid());

		LockHandle next = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
			.until(() -> onAnotherThread(() -> engine.tryAcquire(LockRequest.of(id))).orElse(null), Objects::nonNull);

		assertTheNewHolderSurvivesTheLateClose(engine, attempts, stale, next);
	}

	private void assertTheNewHolderSurvivesTheLateClose(LockEngine engine, AtomicInteger attempts, LockHandle stale,
			LockHandle next) throws Exception {
		assertThat(next.fencingToken()).isGreaterThan(stale.fencingToken());
		assertThat(engine.heldLocks()).extracting(HeldLock::fencingToken).containsExactly(next.fencingToken());
		stale.close();
		assertThat(next.isValid()).as("the late close released nothing").isTrue();
		assertThat(tryAcquire(1, stale.lockId(), LONG_LEASE)).as("still held in the backend").isEmpty();
		int before = attempts.get();
		assertThat(onAnotherThread(() -> engine.tryAcquire(LockRequest.of(stale.lockId())))).isEmpty();
		assertThat(attempts.get()).as("a third thread still stops at the gate: it was given back once").isEqualTo(before);
		next.close();
		assertThat(onAnotherThread(() -> engine.tryAcquire(LockRequest.of(stale.lockId()))))
			.hasValueSatisfying(LockHandle::close);
	}

	@Test
	void handleExtendKeepsAnUnrenewedLeaseUntilItStopsExtending() throws InterruptedException {
		LockEngine engine = engine(0);
		LockEngine other = engine(1);
		LockRequest request = LockRequest.of(lockId("handle-extend")).leaseTime(SHORT_LEASE).autoRenew(false);
		LockHandle handle = engine.acquire(request);
		long until = System.nanoTime() + SHORT_LEASE.multipliedBy(3).toNanos();
		while (System.nanoTime() < until) {
			assertThat(handle.extend(SHORT_LEASE)).isTrue();
			assertThat(other.tryAcquire(LockRequest.of(request.lockId()))).isEmpty();
			Thread.sleep(SHORT_LEASE.toMillis() / 4);
		}
		assertThat(handle.isValid()).isTrue();
		LockHandle next = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
			.until(() -> other.tryAcquire(LockRequest.of(request.lockId())).orElse(null), Objects::nonNull);
		assertThat(handle.isValid()).as("ended at the extended lease's end").isFalse();
		assertThat(handle.extend(SHORT_LEASE)).isFalse();
		next.close();
		handle.close();
	}

	@Test
	void handleExtendReportsALeaseLostInTheBackend() {
		LockEngine engine = engine(0);
		String id = lockId("handle-extend-lost");
		LockHandle handle = engine.acquire(LockRequest.of(id).leaseTime(LONG_LEASE).autoRenew(false));
		loseInTheBackend(id);
		assertThat(handle.isValid()).as("nobody told the holder yet").isTrue();

		boolean extended = await().atMost(Duration.ofSeconds(20)).ignoreException(LockBackendException.class)
			.until(() -> handle.extend(LONG_LEASE), (result) -> true);

		assertThat(extended).isFalse();
		assertThat(handle.isValid()).isFalse();
		handle.close();
	}

	// ---- permits and several keys, built by the engine on this provider's plain locks -----------

	@Test
	void permitsAdmitAtMostTheirNumberOfHoldersAcrossInstancesAndThreadsAndWakeAWaiter() throws Exception {
		LockEngine engine = engine(0);
		LockEngine other = engine(1);
		LockRequest request = LockRequest.of(lockId("permits")).permits(2).leaseTime(LONG_LEASE);
		LockHandle first = engine.acquire(request);
		// A second thread of the same instance: on a session-scoped backend it shares the session,
		// which would grant the first thread's slot again.
		LockHandle second = onAnotherThread(() -> engine.acquire(request));
		assertThat(onAnotherThread(() -> other.tryAcquire(request))).as("a third holder").isEmpty();
		assertThat(second.fencingToken()).isNotEqualTo(first.fencingToken());

		FutureTask<Optional<LockHandle>> waiter = new FutureTask<>(
				() -> other.tryAcquire(request.waitTime(Duration.ofSeconds(20))));
		new Thread(waiter, "tck-permit-waiter").start();
		second.close();
		Optional<LockHandle> third = waiter.get(30, TimeUnit.SECONDS);

		assertThat(third).as("the released permit, for the waiter").isPresent();
		assertThat(third.get().fencingToken()).isNotIn(first.fencingToken(), second.fencingToken());
		third.get().close();
		first.close();
	}

	@Test
	void aLockGroupTakesItsLocksInStringOrderAllOrNothing() throws Exception {
		LockEngine engine = engine(0);
		LockEngine other = engine(1);
		String nine = lockId("account:9");
		String ten = lockId("account:10");
		try (LockGroup group = engine.acquireAll(List.of(LockRequest.of(nine), LockRequest.of(ten)))) {
			assertThat(group.handles()).extracting(LockHandle::lockId).containsExactly(ten, nine);
		}
		try (LockHandle held = other.acquire(LockRequest.of(nine))) {
			assertThat(onAnotherThread(() -> engine.tryAcquireAll(List.of(LockRequest.of(nine), LockRequest.of(ten)))))
				.as("account 9 is busy")
				.isEmpty();
			Optional<LockHandle> tenAgain = onAnotherThread(() -> other.tryAcquire(LockRequest.of(ten)));
			assertThat(tenAgain).as("account 10, taken first, was given back").isPresent();
			tenAgain.get().close();
		}
	}

}
