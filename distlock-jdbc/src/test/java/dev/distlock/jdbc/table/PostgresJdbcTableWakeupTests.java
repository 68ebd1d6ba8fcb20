package dev.distlock.jdbc.table;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.distlock.jdbc.DatabaseKind;
import dev.distlock.jdbc.session.TestDatabases;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.ProviderCapability;
import dev.distlock.spi.ReleaseSubscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How waiters on the lease table wake on PostgreSQL: a release by another instance, a release
 * whose notification was lost with the listen connection, a lease that expires unreleased. The
 * waiters here poll only every ten minutes, so only a wake-up can grant them the lock within the
 * generous bounds below.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresJdbcTableWakeupTests {

	/** Far longer than any bound below: a waiter granted in time was woken. */
	private static final Duration POLL_INTERVAL = Duration.ofMinutes(10);

	private static final Duration WELL_BEFORE_THE_POLL = Duration.ofSeconds(30);

	private static final Duration LONG_LEASE = Duration.ofMinutes(5);

	private final String table = "distlock_wake_"
			+ HexFormat.of().toHexDigits(UUID.randomUUID().getLeastSignificantBits()).substring(0, 10);

	private final List<HikariDataSource> pools = new ArrayList<>();

	private final List<JdbcTableLockProvider> providers = new ArrayList<>();

	private final List<Waiter> waiters = new ArrayList<>();

	@BeforeAll
	void createTable() {
		instance().initializeSchema();
	}

	@AfterEach
	void stopWaitersAndProviders() {
		this.waiters.forEach(Waiter::stop);
		this.waiters.clear();
		this.providers.forEach(JdbcTableLockProvider::close);
		this.providers.clear();
	}

	@AfterAll
	void dropTableAndClosePools() {
		try {
			new JdbcTemplate(TestDatabases.dataSource(TestDatabases.POSTGRES)).execute("DROP TABLE " + this.table);
		}
		finally {
			this.pools.forEach(HikariDataSource::close);
		}
	}

	@Test
	void claimsReleaseNotificationsWhetherItDetectsPostgresqlOrIsTold() {
		assertThat(instance().capabilities()).contains(ProviderCapability.RELEASE_NOTIFICATIONS);
		JdbcTableLockProvider told = new JdbcTableLockProvider(pool(), this.table, DatabaseKind.POSTGRESQL);
		this.providers.add(told);
		assertThat(told.capabilities()).contains(ProviderCapability.RELEASE_NOTIFICATIONS);
	}

	@Test
	void aWaiterIsGrantedSoonAfterAnotherInstanceReleases() {
		JdbcTableLockProvider holder = instance();
		JdbcTableLockProvider waiting = instance();
		String id = lockId("released");
		Lease held = acquire(holder, id, LONG_LEASE);
		Waiter waiter = waitFor(waiting, id);
		await().until(() -> listening(waiting));
		holder.release(held);
		Lease granted = waiter.granted();
		assertThat(granted.fencingToken()).isGreaterThan(held.fencingToken());
	}

	@Test
	void aWaiterIsGrantedSoonAfterAForceRelease() {
		JdbcTableLockProvider holder = instance();
		JdbcTableLockProvider waiting = instance();
		String id = lockId("forced");
		acquire(holder, id, LONG_LEASE);
		Waiter waiter = waitFor(waiting, id);
		await().until(() -> listening(waiting));
		assertThat(instance().forceRelease(id)).isTrue();
		assertThat(waiter.granted().owner()).isEqualTo(waiter.owner);
	}

	@Test
	void aReleaseNotifiedWhileTheListenConnectionWasKilledStillReachesTheWaiter() {
		JdbcTableLockProvider holder = instance();
		JdbcTableLockProvider waiting = instance();
		String id = lockId("killed-listener");
		Lease held = acquire(holder, id, LONG_LEASE);
		Waiter waiter = waitFor(waiting, id);
		await().until(() -> listening(waiting));
		Integer killed = new JdbcTemplate(TestDatabases.dataSource(TestDatabases.POSTGRES)).queryForObject(
				"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?",
				Integer.class, waiting.wakeups().applicationName());
		assertThat(killed).isEqualTo(1);
		await().until(() -> !listening(waiting));
		// Notified to nobody: the waiter's instance is not listening.
		holder.release(held);
		assertThat(waiter.granted().owner()).isEqualTo(waiter.owner);
		await().atMost(WELL_BEFORE_THE_POLL).until(() -> listening(waiting));
	}

	@Test
	void aLeaseThatExpiresUnreleasedWakesTheWaiterAtItsExpiry() {
		JdbcTableLockProvider holder = instance();
		JdbcTableLockProvider waiting = instance();
		String id = lockId("expired");
		Lease held = acquire(holder, id, Duration.ofSeconds(2));
		Waiter waiter = waitFor(waiting, id);
		Lease granted = waiter.granted();
		assertThat(granted.fencingToken()).isGreaterThan(held.fencingToken());
		assertThat(holder.extend(held, LONG_LEASE)).as("the expired holder's lease").isFalse();
	}

	@Test
	void aRenewedLeaseDoesNotLetTheWaiterIn() throws Exception {
		JdbcTableLockProvider holder = instance();
		JdbcTableLockProvider waiting = instance();
		String id = lockId("renewed");
		Lease held = acquire(holder, id, Duration.ofSeconds(2));
		Waiter waiter = waitFor(waiting, id);
		for (int i = 0; i < 5; i++) {
			assertThat(holder.extend(held, Duration.ofSeconds(2))).isTrue();
			Thread.sleep(500);
		}
		assertThat(waiter.result).isNotDone();
		holder.release(held);
		assertThat(waiter.granted().owner()).isEqualTo(waiter.owner);
	}

	@Test
	void theListenAndTimerThreadsEndWhenTheProviderCloses() {
		JdbcTableLockProvider holder = instance();
		JdbcTableLockProvider waiting = instance();
		String id = lockId("closing");
		acquire(holder, id, LONG_LEASE);
		ReleaseSubscription subscription = waiting.onRelease(id, () -> {
		});
		await().until(() -> listening(waiting));
		PostgresWakeups wakeups = waiting.wakeups();
		String name = wakeups.applicationName();
		assertThat(threadsNamed(name)).hasSize(2);
		assertThat(wakeups.isTimerRunning()).isTrue();
		subscription.close();
		waiting.close();
		await().until(() -> threadsNamed(name).isEmpty());
		assertThat(wakeups.isTimerRunning()).isFalse();
		assertThat(waiting.onRelease(id, () -> {
		})).as("after close").isSameAs(ReleaseSubscription.NONE);
	}

	private static List<Thread> threadsNamed(String part) {
		return Thread.getAllStackTraces().keySet().stream()
			.filter((thread) -> thread.getName().contains(part) && thread.isAlive())
			.toList();
	}

	private static boolean listening(JdbcTableLockProvider provider) {
		PostgresWakeups wakeups = provider.wakeups();
		return wakeups != null && wakeups.isListening();
	}

	private JdbcTableLockProvider instance() {
		JdbcTableLockProvider provider = new JdbcTableLockProvider(pool(), this.table, null,
				TestDatabases.lockConnections(TestDatabases.POSTGRES));
		this.providers.add(provider);
		return provider;
	}

	/** Another application instance's pool. */
	private HikariDataSource pool() {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(TestDatabases.url(TestDatabases.POSTGRES));
		config.setUsername(TestDatabases.user(TestDatabases.POSTGRES));
		config.setPassword(TestDatabases.password(TestDatabases.POSTGRES));
		config.setMaximumPoolSize(3);
		config.setMinimumIdle(0);
		HikariDataSource pool = new HikariDataSource(config);
		this.pools.add(pool);
		return pool;
	}

	private static String lockId(String name) {
		return "wake-" + name + "-" + UUID.randomUUID();
	}

	private static Lease acquire(JdbcTableLockProvider provider, String id, Duration leaseTime) {
		return provider.tryAcquire(new LeaseRequest(id, "holder-" + UUID.randomUUID(), leaseTime)).orElseThrow();
	}

	/** Starts a waiter on the lock that tries once, then again only when woken or after the long poll. */
	private Waiter waitFor(JdbcTableLockProvider provider, String id) {
		Waiter waiter = new Waiter(provider, id);
		this.waiters.add(waiter);
		waiter.start();
		await().until(() -> waiter.attempts.getCount() == 0);
		return waiter;
	}

	/** A waiting loop like the engine's, but with a ten-minute poll. */
	private static final class Waiter {

		final String owner = "waiter-" + UUID.randomUUID();

		final CompletableFuture<Lease> result = new CompletableFuture<>();

		/** Counts down once the first attempt failed (the waiter is asleep). */
		final CountDownLatch attempts = new CountDownLatch(1);

		private final JdbcTableLockProvider provider;

		private final String id;

		private final Thread thread;

		Waiter(JdbcTableLockProvider provider, String id) {
			this.provider = provider;
			this.id = id;
			this.thread = new Thread(this::run, "wakeup-test-waiter");
			this.thread.setDaemon(true);
		}

		void start() {
			this.thread.start();
		}

		private void run() {
			Semaphore wake = new Semaphore(0);
			try (ReleaseSubscription subscription = this.provider.onRelease(this.id, wake::release)) {
				while (true) {
					Optional<Lease> lease = this.provider
						.tryAcquire(new LeaseRequest(this.id, this.owner, LONG_LEASE));
					if (lease.isPresent()) {
						this.result.complete(lease.get());
						return;
					}
					this.attempts.countDown();
					wake.tryAcquire(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
					wake.drainPermits();
				}
			}
			catch (InterruptedException ex) {
				this.result.cancel(false);
			}
			catch (RuntimeException ex) {
				this.result.completeExceptionally(ex);
			}
		}

		/** The lease, granted well before the waiter's next poll. */
		Lease granted() {
			try {
				return this.result.get(WELL_BEFORE_THE_POLL.toSeconds(), TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				throw new AssertionError("the waiter was not granted lock '" + this.id + "' within "
						+ WELL_BEFORE_THE_POLL + " although it was free", ex);
			}
		}

		void stop() {
			this.thread.interrupt();
		}

	}

}
