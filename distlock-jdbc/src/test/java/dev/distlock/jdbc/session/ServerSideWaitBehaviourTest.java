package dev.distlock.jdbc.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import dev.distlock.LockBackendException;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.spi.AwaitedLease;
import dev.distlock.spi.ForwardingLockProvider;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.ProviderCapability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * How session-scoped JDBC providers wait on the server ({@code GET_LOCK} with a timeout,
 * {@code pg_advisory_lock} under {@code lock_timeout}), against the real database: the server queues
 * the waiters of every instance and grants the lock on release, in arrival order, with no poll; a
 * waiter that runs out of time, is interrupted or loses its connection leaves nothing held or queued.
 * The tests watch the server's own view (who waits, who holds), never the clock.
 */
public abstract class ServerSideWaitBehaviourTest {

	private static final Duration LEASE = Duration.ofSeconds(60);

	private static final Duration LONG_WAIT = Duration.ofSeconds(60);

	private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

	private final String kind;

	private String prefix = "";

	private int owners;

	/** @param kind {@link TestDatabases#POSTGRES} or {@link TestDatabases#MYSQL} */
	protected ServerSideWaitBehaviourTest(String kind) {
		this.kind = kind;
	}

	@BeforeEach
	void setUp(TestInfo test) {
		TestDatabases.initializeSchema(this.kind);
		this.prefix = this.kind + "-" + test.getTestMethod().map((m) -> m.getName()).orElse("t") + "-"
				+ UUID.randomUUID().toString().substring(0, 8) + "-";
	}

	@AfterEach
	void closeResources() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	private <T extends AutoCloseable> T closeLater(T resource) {
		this.resources.add(0, resource);
		return resource;
	}

	private AbstractSessionLockProvider<?> provider(String instanceId) {
		return closeLater(TestDatabases.provider(this.kind, instanceId));
	}

	private String lockId(String name) {
		return this.prefix + name;
	}

	private LeaseRequest request(String instanceId, String lockId) {
		return new LeaseRequest(lockId, instanceId + "#" + (++this.owners), LEASE);
	}

	private List<Long> waiting(String lockId) {
		return TestDatabases.waitingSessions(this.kind, lockId);
	}

	private void awaitWaiting(String lockId, int sessions) {
		await().atMost(Duration.ofSeconds(20)).until(() -> waiting(lockId).size() == sessions);
	}

	/** Whether nobody holds the lock: a fresh provider gets it at once (and gives it back). */
	private boolean isFree(String lockId) {
		try (AbstractSessionLockProvider<?> probe = TestDatabases.provider(this.kind, "probe")) {
			Optional<Lease> lease = probe.tryAcquire(request("probe", lockId));
			lease.ifPresent(probe::release);
			return lease.isPresent();
		}
	}

	@Test
	void sessionProvidersDeclareThatTheyWaitOnTheServer() {
		assertThat(provider("any").capabilities()).contains(ProviderCapability.SERVER_SIDE_WAIT);
	}

	@Test
	void aWaiterIsQueuedOnTheServerAndGrantedWhenTheHolderReleases() throws Exception {
		String id = lockId("handoff");
		AbstractSessionLockProvider<?> holder = provider("holder");
		AbstractSessionLockProvider<?> waiter = provider("waiter");
		Lease held = holder.tryAcquire(request("holder", id)).orElseThrow();
		LeaseRequest waiting = request("waiter", id);
		CompletableFuture<Optional<AwaitedLease>> granted = CompletableFuture
			.supplyAsync(() -> waiter.awaitAcquire(waiting, LONG_WAIT));
		awaitWaiting(id, 1);
		assertThat(granted).as("still queued while held").isNotDone();

		holder.release(held);

		Lease lease = granted.get(30, TimeUnit.SECONDS).orElseThrow().lease();
		assertThat(lease.owner()).isEqualTo(waiting.owner());
		assertThat(lease.fencingToken()).isGreaterThan(held.fencingToken());
		assertThat(waiting(id)).isEmpty();
		assertThat(waiter.extend(lease, LEASE)).as("the waiting connection now holds the lock").isTrue();
		assertThat(holder.tryAcquire(request("holder", id))).as("held by the waiter").isEmpty();
		assertThat(waiter.inspect(id)).hasValueSatisfying((lock) -> assertThat(lock.owner()).isEqualTo(waiting.owner()));
		waiter.release(lease);
		assertThat(isFree(id)).isTrue();
	}

	@Test
	void aGrantAfterAWaitLongerThanATenthOfTheLeaseCountsFromAfterTheRelease() throws Exception {
		String id = lockId("long-wait");
		AbstractSessionLockProvider<?> holder = provider("holder");
		AbstractSessionLockProvider<?> waiter = provider("waiter");
		Lease held = holder.tryAcquire(request("holder", id)).orElseThrow();
		LeaseRequest shortLease = new LeaseRequest(id, "waiter#short", Duration.ofMillis(500));
		CompletableFuture<Optional<AwaitedLease>> granted = CompletableFuture
			.supplyAsync(() -> waiter.awaitAcquire(shortLease, LONG_WAIT));
		awaitWaiting(id, 1);
		// Queued for longer than a tenth of its lease: the grant must not count from the start of the wait.
		await().pollDelay(Duration.ofMillis(300)).until(() -> true);
		long releasedNanos = System.nanoTime();

		holder.release(held);

		AwaitedLease lease = granted.get(30, TimeUnit.SECONDS).orElseThrow();
		assertThat(lease.confirmedNanos() - releasedNanos).as("counted from after the release").isPositive();
		assertThat(lease.lease().fencingToken()).isGreaterThan(held.fencingToken());
		assertThat(waiter.extend(lease.lease(), LEASE)).isTrue();
	}

	@Test
	void waitersOfSeveralInstancesAreServedInArrivalOrder() throws Exception {
		String id = lockId("fifo");
		AbstractSessionLockProvider<?> holder = provider("holder");
		Lease held = holder.tryAcquire(request("holder", id)).orElseThrow();
		List<String> grants = new CopyOnWriteArrayList<>();
		List<CompletableFuture<Void>> waiters = new ArrayList<>();
		for (int i = 1; i <= 3; i++) {
			String instance = "waiter-" + i;
			AbstractSessionLockProvider<?> provider = provider(instance);
			waiters.add(CompletableFuture.runAsync(() -> {
				Lease lease = provider.awaitAcquire(request(instance, id), LONG_WAIT).orElseThrow().lease();
				grants.add(instance);
				provider.release(lease);
			}));
			// The next waiter arrives only once this one is queued on the server.
			awaitWaiting(id, i);
		}
		holder.release(held);
		CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
		assertThat(grants).containsExactly("waiter-1", "waiter-2", "waiter-3");
	}

	@Test
	void aWaiterWhoseWaitTimeRunsOutLeavesNoLockAndNoWaitBehind() {
		String id = lockId("timeout");
		AbstractSessionLockProvider<?> holder = provider("holder");
		AbstractSessionLockProvider<?> waiter = provider("waiter");
		Lease held = holder.tryAcquire(request("holder", id)).orElseThrow();

		// Less than a second: MariaDB's GET_LOCK and PostgreSQL's lock_timeout take fractions.
		assertThat(waiter.awaitAcquire(request("waiter", id), Duration.ofMillis(300))).isEmpty();

		assertThat(waiting(id)).as("nobody queued on the server").isEmpty();
		assertThat(TestDatabases.holderSession(this.kind, id)).isNotZero();
		holder.release(held);
		assertThat(isFree(id)).as("the timed-out waiter was not granted the lock later").isTrue();
		Lease later = waiter.tryAcquire(request("waiter", id)).orElseThrow();
		assertThat(waiter.extend(later, LEASE)).as("the waiter's connections still work").isTrue();
	}

	@Test
	void anInterruptedWaiterLeavesNoLockAndNoWaitBehind() throws Exception {
		String id = lockId("interrupted");
		AbstractSessionLockProvider<?> holder = provider("holder");
		AbstractSessionLockProvider<?> waiter = provider("waiter");
		Lease held = holder.tryAcquire(request("holder", id)).orElseThrow();
		CompletableFuture<Thread> waitingThread = new CompletableFuture<>();
		CompletableFuture<String> outcome = CompletableFuture.supplyAsync(() -> {
			waitingThread.complete(Thread.currentThread());
			Optional<AwaitedLease> lease = waiter.awaitAcquire(request("waiter", id), LONG_WAIT);
			return (lease.isPresent() ? "granted" : "empty") + (Thread.interrupted() ? ", interrupted" : "");
		});
		awaitWaiting(id, 1);

		waitingThread.get().interrupt();

		assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo("empty, interrupted");
		await().atMost(Duration.ofSeconds(20)).until(() -> waiting(id).isEmpty());
		holder.release(held);
		assertThat(isFree(id)).as("the cancelled waiter was not granted the lock later").isTrue();
		assertThat(waiter.tryAcquire(request("waiter", id))).as("the waiter works after the cancel").isPresent();
	}

	@Test
	void aWaiterWhoseConnectionIsKilledFailsWithABackendErrorAndRecovers() throws Exception {
		String id = lockId("killed");
		AbstractSessionLockProvider<?> holder = provider("holder");
		AbstractSessionLockProvider<?> waiter = provider("waiter");
		Lease held = holder.tryAcquire(request("holder", id)).orElseThrow();
		CompletableFuture<Optional<AwaitedLease>> outcome = CompletableFuture
			.supplyAsync(() -> waiter.awaitAcquire(request("waiter", id), LONG_WAIT));
		awaitWaiting(id, 1);

		TestDatabases.terminateSession(this.kind, waiting(id).get(0));

		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> outcome.get(30, TimeUnit.SECONDS))
			.withCauseInstanceOf(LockBackendException.class);
		assertThat(waiting(id)).isEmpty();
		holder.release(held);
		assertThat(isFree(id)).isTrue();
		Lease lease = waiter.tryAcquire(request("waiter", id)).orElseThrow();
		assertThat(waiter.extend(lease, LEASE)).as("a replacement connection holds locks").isTrue();
	}

	@Test
	void withASingleLockConnectionNobodyWaitsOnTheServerAndTheCallIsOneAttempt() {
		String id = lockId("single");
		AbstractSessionLockProvider<?> holder = provider("holder");
		SessionLockSettings one = new SessionLockSettings("single", 1, SessionLockSettings.DEFAULT_NETWORK_TIMEOUT);
		AbstractSessionLockProvider<?> waiter = closeLater(switch (this.kind) {
			case TestDatabases.POSTGRES -> new dev.distlock.jdbc.postgres.PostgresAdvisoryLockProvider(
					TestDatabases.dataSource(this.kind), TestDatabases.lockConnections(this.kind), one);
			default -> new dev.distlock.jdbc.mysql.MySqlLockProvider(TestDatabases.dataSource(this.kind),
					TestDatabases.lockConnections(this.kind), one);
		});
		holder.tryAcquire(request("holder", id)).orElseThrow();
		// It returns while the lock is still held: its only connection must stay free for renewals.
		assertThat(waiter.awaitAcquire(request("single", id), LONG_WAIT)).isEmpty();
		assertThat(waiting(id)).isEmpty();
	}

	@Test
	void anEngineWaiterWaitsOnTheServerFromTheStartAndIsHandedTheLockWithoutRetrying() throws Exception {
		String id = lockId("engine");
		AtomicInteger attempts = new AtomicInteger();
		AtomicInteger waits = new AtomicInteger();
		AbstractSessionLockProvider<?> waiterProvider = provider("waiter");
		ForwardingLockProvider counting = new ForwardingLockProvider(waiterProvider) {
			@Override
			public Optional<Lease> tryAcquire(LeaseRequest request) {
				attempts.incrementAndGet();
				return super.tryAcquire(request);
			}

			@Override
			public Optional<AwaitedLease> awaitAcquire(LeaseRequest request, Duration maxWait) {
				waits.incrementAndGet();
				return super.awaitAcquire(request, maxWait);
			}
		};
		LockEngine holder = engine(provider("holder"), "holder");
		LockEngine waiter = engine(counting, "waiter");
		LockRequest request = LockRequest.of(id).waitTime(LONG_WAIT);
		LockHandle held = holder.acquire(request);
		CompletableFuture<Long> token = CompletableFuture.supplyAsync(() -> {
			try (LockHandle handle = waiter.acquire(request)) {
				return handle.fencingToken();
			}
		});
		awaitWaiting(id, 1);
		// Longer than any poll interval of the engine: a polling waiter would have retried meanwhile.
		await().pollDelay(Duration.ofSeconds(1)).until(() -> true);

		held.close();

		assertThat(token.get(30, TimeUnit.SECONDS)).isGreaterThan(held.fencingToken());
		assertThat(attempts).as("non-blocking attempts").hasValue(0);
		assertThat(waits).as("waits on the server").hasValue(1);
	}

	private LockEngine engine(dev.distlock.spi.LockProvider provider, String instanceId) {
		LeaseWatchdog watchdog = closeLater(new LeaseWatchdog());
		return new LockEngine(provider, watchdog, EngineSettings.defaults(instanceId), LockEngineObserver.NOOP);
	}

}
