package dev.distlock.jdbc.postgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import dev.distlock.jdbc.session.AbstractSessionLockProvider;
import dev.distlock.jdbc.session.SessionLockProviderBehaviourTest;
import dev.distlock.jdbc.session.TestDatabases;
import dev.distlock.spi.Lease;
import dev.distlock.spi.ReleaseSubscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code postgres} provider on a real PostgreSQL: the session-scoped behaviour shared with the
 * {@code mysql} provider, plus what only PostgreSQL shows (keys, session names, force release beside an application's own
 * advisory lock).
 */
class PostgresAdvisoryLockProviderTest extends SessionLockProviderBehaviourTest {

	PostgresAdvisoryLockProviderTest() {
		super(TestDatabases.POSTGRES);
	}

	@Test
	void advisoryLockKeyMatchesItsDocumentedSqlExpression() {
		for (String lockId : List.of("order:42", "ünïcödé-ключ-鍵-🔒", "x".repeat(1000), "")) {
			Long sql = database().queryForObject(
					"SELECT ('x' || left(encode(sha256(convert_to(?, 'UTF8')), 'hex'), 16))::bit(64)::bigint", Long.class,
					lockId);
			assertThat(AdvisoryLockKey.of(lockId)).as(lockId).isEqualTo(sql);
		}
	}

	@Test
	void lockConnectionsAreNamedAfterTheirInstance() {
		AbstractSessionLockProvider<?> provider = provider("host-a:1234:abcd");
		String id = lockId("named");
		provider.tryAcquire(request("host-a:1234:abcd", id)).orElseThrow();
		String name = database().queryForObject("SELECT application_name FROM pg_stat_activity WHERE pid = ?",
				String.class, (int) holderSession(id));
		assertThat(name).isEqualTo("distlock:host-a:1234:abcd");
	}

	@Test
	void forceReleaseLeavesAnApplicationSessionOnTheSameKeyAlone() {
		String id = lockId("foreign");
		SingleConnectionDataSource application = closeLater(new SingleConnectionDataSource(
				TestDatabases.url(kind()), TestDatabases.user(kind()), TestDatabases.password(kind()), true));
		JdbcTemplate session = new JdbcTemplate(application);
		session.queryForObject("SELECT pg_advisory_lock(?)", Object.class, AdvisoryLockKey.of(id));
		AbstractSessionLockProvider<?> provider = provider("operator");
		assertThat(provider.forceRelease(id)).isFalse();
		assertThat(provider.tryAcquire(request("operator", id))).as("still held by the application").isEmpty();
		assertThat(session.queryForObject("SELECT 1", Integer.class)).as("application session alive").isEqualTo(1);
	}

	@Test
	void aReleaseWakesTheWaitersOfItsKeyOnOtherInstancesOnly() throws InterruptedException {
		String id = lockId("notified");
		AbstractSessionLockProvider<?> holder = provider("holder");
		PostgresAdvisoryLockProvider waiter = (PostgresAdvisoryLockProvider) provider("waiter");
		awaitListening(waiter);
		Lease lease = holder.tryAcquire(request("holder", id)).orElseThrow();
		Lease other = holder.tryAcquire(request("holder", lockId("other"))).orElseThrow();
		CountDownLatch woken = new CountDownLatch(1);
		try (ReleaseSubscription subscription = waiter.onRelease(id, woken::countDown)) {
			holder.release(other);
			assertThat(woken.await(500, TimeUnit.MILLISECONDS)).as("woken by another key's release").isFalse();
			holder.release(lease);
			assertThat(woken.await(5, TimeUnit.SECONDS)).as("woken by its key's release").isTrue();
		}
	}

	@Test
	void aForceReleaseWakesTheWaitersOfItsKey() throws InterruptedException {
		String id = lockId("forced");
		provider("holder").tryAcquire(request("holder", id)).orElseThrow();
		PostgresAdvisoryLockProvider waiter = (PostgresAdvisoryLockProvider) provider("waiter");
		awaitListening(waiter);
		CountDownLatch woken = new CountDownLatch(1);
		try (ReleaseSubscription subscription = waiter.onRelease(id, woken::countDown)) {
			assertThat(waiter.forceRelease(id)).isTrue();
			assertThat(woken.await(5, TimeUnit.SECONDS)).as("woken by the force release").isTrue();
		}
	}

	@Test
	void notificationsResumeAfterTheListenConnectionIsKilledAndWakeEveryWaiterOnReturn() throws InterruptedException {
		String id = lockId("relisten");
		AbstractSessionLockProvider<?> holder = provider("holder");
		PostgresAdvisoryLockProvider waiter = (PostgresAdvisoryLockProvider) provider("relistener");
		awaitListening(waiter);
		AtomicInteger wakeUps = new AtomicInteger();
		try (ReleaseSubscription subscription = waiter.onRelease(id, wakeUps::incrementAndGet)) {
			Integer killed = database().queryForObject("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
					+ "WHERE application_name = 'distlock:relistener' AND query LIKE 'LISTEN%'", Integer.class);
			assertThat(killed).as("listen sessions terminated").isEqualTo(1);
			await().atMost(Duration.ofSeconds(10)).until(() -> !waiter.isListening());
			awaitListening(waiter);
			await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.get() >= 1);
			int afterReturn = wakeUps.get();
			holder.release(holder.tryAcquire(request("holder", id)).orElseThrow());
			await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.get() > afterReturn);
		}
	}

	@Test
	void closingTheProviderEndsItsListenerThread() {
		PostgresAdvisoryLockProvider waiter = (PostgresAdvisoryLockProvider) TestDatabases.provider(kind(), "closing");
		ReleaseSubscription subscription = waiter.onRelease(lockId("closing"), () -> {
		});
		awaitListening(waiter);
		subscription.close();
		waiter.close();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> Thread.getAllStackTraces()
				.keySet()
				.stream()
				.noneMatch((thread) -> thread.getName().equals("distlock-postgres-notifications-distlock:closing") && thread.isAlive()));
		assertThat(waiter.isListening()).isFalse();
	}

	@Test
	void lockConnectionsOpenOnDemandUpToTheirBound() throws Exception {
		AbstractSessionLockProvider<?> provider = provider("on-demand");
		for (int i = 0; i < 6; i++) {
			Lease lease = provider.tryAcquire(request("on-demand", lockId("serial-" + i))).orElseThrow();
			provider.release(lease);
		}
		assertThat(lockConnectionsOf("on-demand")).as("one caller at a time").isEqualTo(1);

		ExecutorService callers = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> running = new ArrayList<>();
			long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
			for (int t = 0; t < 8; t++) {
				String id = lockId("concurrent-" + t);
				running.add(callers.submit(() -> {
					while (System.nanoTime() < end) {
						provider.release(provider.tryAcquire(request("on-demand", id)).orElseThrow());
					}
				}));
			}
			for (Future<?> caller : running) {
				caller.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			callers.shutdownNow();
		}
		assertThat(lockConnectionsOf("on-demand")).as("eight concurrent callers")
			.isGreaterThan(1)
			.isLessThanOrEqualTo(provider.settings().connections());
	}

	private int lockConnectionsOf(String instanceId) {
		return database().queryForObject("SELECT count(*) FROM pg_stat_activity WHERE application_name = ? "
				+ "AND query NOT LIKE 'LISTEN%'", Integer.class, "distlock:" + instanceId);
	}

	private static void awaitListening(PostgresAdvisoryLockProvider provider) {
		// The listener starts with the first waiter: register one on a key nobody uses.
		try (ReleaseSubscription starter = provider.onRelease("distlock-test:listen-starter", () -> {
		})) {
			await().atMost(Duration.ofSeconds(10)).until(provider::isListening);
		}
	}

}
