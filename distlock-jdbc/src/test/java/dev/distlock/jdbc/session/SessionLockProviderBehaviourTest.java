package dev.distlock.jdbc.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.distlock.LockBackendException;
import dev.distlock.LockConfigurationException;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.jdbc.mysql.MySqlLockProvider;
import dev.distlock.jdbc.postgres.PostgresAdvisoryLockProvider;
import dev.distlock.spi.BackendLock;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What the TCK cannot show about session-scoped JDBC providers, against the real database: the
 * session is the lease, lock connections never come from the application's pool, a crashed holder
 * frees its locks with its connection, operators see every instance's locks, the schema is created
 * safely and a missing one is explained. Each database's test extends this, names its database and
 * adds what only that database shows.
 */
public abstract class SessionLockProviderBehaviourTest {

	private static final Duration LEASE = Duration.ofSeconds(60);

	private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

	private final List<String> emptySchemas = new CopyOnWriteArrayList<>();

	private String prefix = "";

	private int owners;

	private final String kind;

	/** @param kind {@link TestDatabases#POSTGRES} or {@link TestDatabases#MYSQL} */
	protected SessionLockProviderBehaviourTest(String kind) {
		this.kind = kind;
	}

	/** {@link TestDatabases#POSTGRES} or {@link TestDatabases#MYSQL}. */
	protected final String kind() {
		return this.kind;
	}

	/** A database of the other kind, for the wrong-database checks. */
	private String otherKind() {
		return this.kind.equals(TestDatabases.POSTGRES) ? TestDatabases.MYSQL : TestDatabases.POSTGRES;
	}

	/** The server session id that holds the lock right now, asked on a fresh connection. */
	protected final long holderSession(String lockId) {
		return TestDatabases.holderSession(kind(), lockId);
	}

	/** Ends a server session from outside, as an operator or a failing network would. */
	protected final void terminateSession(long sessionId) {
		TestDatabases.terminateSession(kind(), sessionId);
	}

	/** The database under test, on a connection of its own (not a provider's). */
	protected final JdbcTemplate database() {
		return new JdbcTemplate(TestDatabases.dataSource(kind()));
	}

	@BeforeEach
	void setUp(TestInfo test) {
		TestDatabases.initializeSchema(kind());
		this.prefix = kind() + "-" + test.getTestMethod().map((m) -> m.getName()).orElse("t") + "-"
				+ UUID.randomUUID().toString().substring(0, 8) + "-";
	}

	@AfterEach
	void closeResources() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
		for (String schema : this.emptySchemas) {
			TestDatabases.dropEmptySchema(kind(), schema);
		}
	}

	protected final <T extends AutoCloseable> T closeLater(T resource) {
		this.resources.add(0, resource);
		return resource;
	}

	protected final AbstractSessionLockProvider<?> provider(String instanceId) {
		return closeLater(TestDatabases.provider(kind(), instanceId));
	}

	protected final String lockId(String name) {
		return this.prefix + name;
	}

	protected final LeaseRequest request(String instanceId, String lockId) {
		return new LeaseRequest(lockId, instanceId + "#" + (++this.owners), LEASE);
	}

	@Test
	void reportsTheLeaseLostWhenTheLockConnectionIsKilledAndRecoversWithANewConnection() {
		AbstractSessionLockProvider<?> first = provider("first");
		AbstractSessionLockProvider<?> second = provider("second");
		String id = lockId("killed");
		Lease lease = first.tryAcquire(request("first", id)).orElseThrow();
		assertThat(second.tryAcquire(request("second", id))).as("held by first").isEmpty();

		terminateSession(holderSession(id));

		assertThat(first.extend(lease, LEASE)).as("extend after the session died").isFalse();
		Lease taken = await().atMost(Duration.ofSeconds(10))
			.until(() -> second.tryAcquire(request("second", id)), Optional::isPresent)
			.orElseThrow();
		assertThat(taken.fencingToken()).isGreaterThan(lease.fencingToken());
		assertThat(first.tryAcquire(request("first", id))).as("now held by second").isEmpty();
		Lease later = first.tryAcquire(request("first", lockId("after-recovery"))).orElseThrow();
		assertThat(first.extend(later, LEASE)).as("the replacement connection holds locks").isTrue();
	}

	@Test
	void anApplicationPoolOfTwoConnectionsKeepsServingWhileFiftyLocksAreHeld() {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(TestDatabases.url(kind()));
		config.setUsername(TestDatabases.user(kind()));
		config.setPassword(TestDatabases.password(kind()));
		config.setMaximumPoolSize(2);
		config.setConnectionTimeout(2000);
		HikariDataSource pool = closeLater(new HikariDataSource(config));
		AbstractSessionLockProvider<?> provider = closeLater(TestDatabases.provider(kind(), pool, "pooled-app"));
		List<Lease> leases = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			leases.add(provider.tryAcquire(request("pooled-app", lockId("held-" + i))).orElseThrow());
		}
		JdbcTemplate application = new JdbcTemplate(pool);
		for (int i = 0; i < 20; i++) {
			assertThat(application.queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
		}
		assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("pool connections in use").isZero();
		assertThat(provider.extendAll(leases)).hasSize(50);
	}

	@Test
	void aHolderProcessKilledWithSigkillReleasesItsLocksWhenTheServerSeesTheConnectionDrop() throws Exception {
		String id = lockId("sigkill");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				HoldLockProcess.class.getName(), kind(), id)
			.redirectErrorStream(true)
			.start();
		try {
			BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
			String line = CompletableFuture.supplyAsync(() -> readHeldLine(output)).get(60, TimeUnit.SECONDS);
			assertThat(line).startsWith("HELD ");
			AbstractSessionLockProvider<?> survivor = provider("survivor");
			assertThat(survivor.tryAcquire(request("survivor", id))).as("held by the child").isEmpty();

			long killedAt = System.nanoTime();
			child.destroyForcibly();
			Lease lease = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
				.until(() -> survivor.tryAcquire(request("survivor", id)), Optional::isPresent)
				.orElseThrow();
			long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
			System.out.printf("[measured] %s: holder process SIGKILLed -> lock acquired by another provider after %d ms%n",
					kind(), millis);
			assertThat(lease.fencingToken()).isGreaterThan(Long.parseLong(line.substring("HELD ".length()).strip()));
			assertThat(millis).isLessThan(30_000);
		}
		finally {
			child.destroyForcibly();
			child.waitFor(10, TimeUnit.SECONDS);
		}
	}

	private static String readHeldLine(BufferedReader output) {
		try {
			String line;
			while ((line = output.readLine()) != null) {
				if (line.startsWith("HELD") || line.startsWith("BUSY")) {
					return line;
				}
			}
			return "EOF";
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void aWaitingEngineGetsTheLockSoonAfterTheHolderReleasesIt() throws Exception {
		LockEngine holder = engine("holder");
		LockEngine waiter = engine("waiter");
		int rounds = 8;
		long[] handoffs = new long[rounds];
		for (int round = 0; round < rounds; round++) {
			LockRequest request = LockRequest.of(lockId("handoff-" + round)).waitTime(Duration.ofSeconds(10));
			LockHandle held = holder.acquire(request);
			CompletableFuture<Long> acquiredAt = CompletableFuture.supplyAsync(() -> {
				try (LockHandle handle = waiter.acquire(request)) {
					assertThat(handle.fencingToken()).isGreaterThan(held.fencingToken());
					return System.nanoTime();
				}
			});
			// Let the waiter settle into its back-off, as a real waiter behind a running job would.
			await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
			long releasedAt = System.nanoTime();
			held.close();
			handoffs[round] = TimeUnit.NANOSECONDS.toMillis(acquiredAt.get(15, TimeUnit.SECONDS) - releasedAt);
		}
		long[] sorted = handoffs.clone();
		Arrays.sort(sorted);
		System.out.printf("[measured] %s: engine release -> waiting engine acquired, handoff ms per round %s "
				+ "(median %d, max %d; waiter had waited 1 s)%n", kind(), Arrays.toString(handoffs),
				sorted[rounds / 2], sorted[rounds - 1]);
		assertThat(sorted[rounds - 1]).isLessThan(10_000);
	}

	private LockEngine engine(String instanceId) {
		LockProvider provider = provider(instanceId);
		LeaseWatchdog watchdog = closeLater(new LeaseWatchdog());
		return new LockEngine(provider, watchdog, EngineSettings.defaults(instanceId), LockEngineObserver.NOOP);
	}

	@Test
	void validateRefusesADataSourceOfAnotherDatabase() {
		AbstractSessionLockProvider<?> provider = closeLater(
				TestDatabases.provider(kind(), TestDatabases.dataSource(otherKind()), "wrong"));
		assertThatExceptionOfType(LockConfigurationException.class).isThrownBy(provider::validate)
			.withMessageContaining("'" + provider.id() + "' lock provider needs");
		closeLater(TestDatabases.provider(kind(), "right")).validate();
	}

	@Test
	void lockConnectionsToAnotherDatabaseAreRefusedWithAConfigurationError() {
		DataSource own = TestDatabases.dataSource(kind());
		AbstractSessionLockProvider<?> provider = closeLater(TestDatabases.provider(kind(), own, "wrong"));
		AbstractSessionLockProvider<?> misconfigured = closeLater(switch (kind()) {
			case TestDatabases.POSTGRES -> new PostgresAdvisoryLockProvider(own, TestDatabases.lockConnections(otherKind()),
					provider.settings());
			default -> new MySqlLockProvider(own, TestDatabases.lockConnections(otherKind()), provider.settings());
		});
		assertThatExceptionOfType(LockConfigurationException.class)
			.isThrownBy(() -> misconfigured.tryAcquire(request("wrong", lockId("x"))))
			.withMessageContaining("lock connection");
	}

	@Test
	void aClosedProviderReleasesItsLocks() {
		AbstractSessionLockProvider<?> first = provider("first");
		AbstractSessionLockProvider<?> second = provider("second");
		String id = lockId("closed");
		first.tryAcquire(request("first", id)).orElseThrow();
		first.close();
		assertThat(second.tryAcquire(request("second", id))).isPresent();
	}

	@Test
	void listLocksShowsLockIdsOwnersAndTokensOfEveryInstance() {
		AbstractSessionLockProvider<?> first = provider("first");
		AbstractSessionLockProvider<?> second = provider("second");
		Lease a = first.tryAcquire(request("first", lockId("a"))).orElseThrow();
		Lease b = second.tryAcquire(request("second", lockId("b"))).orElseThrow();
		List<BackendLock> listed = provider("observer").listLocks();
		assertThat(listed).contains(new BackendLock(a.lockId(), a.owner(), a.fencingToken(), null),
				new BackendLock(b.lockId(), b.owner(), b.fencingToken(), null));
		first.release(a);
		assertThat(provider("observer-2").listLocks()).extracting(BackendLock::lockId)
			.doesNotContain(a.lockId())
			.contains(b.lockId());
	}

	@Test
	void aMissingSchemaFailsWithAMessageThatSaysHowToCreateIt() {
		String schema = emptySchema();
		AbstractSessionLockProvider<?> provider = closeLater(
				TestDatabases.providerOn(kind(), TestDatabases.createEmptySchema(kind(), schema), "no-schema"));
		assertThatExceptionOfType(LockBackendException.class)
			.isThrownBy(() -> provider.tryAcquire(request("no-schema", lockId("x"))))
			.withMessageContaining("initializeSchema()")
			.withMessageContaining("dev/distlock/jdbc/" + kind() + "/schema.sql");
		provider.initializeSchema();
		assertThat(provider.tryAcquire(request("no-schema", lockId("x")))).isPresent();
	}

	@Test
	void initializeSchemaIsSafeToRunConcurrentlyAndRepeatedlyAndLeavesAWorkingSchema() {
		String url = TestDatabases.createEmptySchema(kind(), emptySchema());
		List<AbstractSessionLockProvider<?>> instances = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			instances.add(closeLater(TestDatabases.providerOn(kind(), url, "starting-" + i)));
		}
		// Four instances starting at once on a database without the schema, then one of them again.
		CompletableFuture.allOf(instances.stream()
			.map((instance) -> CompletableFuture.runAsync(instance::initializeSchema))
			.toArray(CompletableFuture[]::new)).join();
		instances.get(0).initializeSchema();

		String id = lockId("after-schema");
		Lease first = instances.get(1).tryAcquire(request("starting-1", id)).orElseThrow();
		assertThat(first.fencingToken()).isPositive();
		assertThat(instances.get(2).tryAcquire(request("starting-2", id))).as("held by starting-1").isEmpty();
		assertThat(instances.get(3).listLocks()).extracting(BackendLock::lockId).contains(id);
		instances.get(1).release(first);
		Lease second = instances.get(2).tryAcquire(request("starting-2", id)).orElseThrow();
		assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
	}

	@Test
	void initializeSchemaOnAnUnreachableDatabaseFailsAsABackendErrorSoTheApplicationCanStillStart() {
		String unreachable = TestDatabases.url(kind()).replaceFirst(":\\d+/", ":1/");
		AbstractSessionLockProvider<?> provider = closeLater(TestDatabases.providerOn(kind(), unreachable, "down"));
		assertThatExceptionOfType(LockBackendException.class).isThrownBy(provider::initializeSchema)
			.withMessageContaining("schema of the '" + provider.id() + "' lock provider");
	}

	/** A schema (PostgreSQL) or database (MySQL) of this test's own, dropped after it. */
	private String emptySchema() {
		String name = "distlock_empty_" + UUID.randomUUID().toString().substring(0, 8);
		this.emptySchemas.add(name);
		return name;
	}

	@Test
	void healthCheckReplacesAKilledLockConnection() {
		AbstractSessionLockProvider<?> provider = provider("health");
		String id = lockId("health");
		Lease lease = provider.tryAcquire(request("health", id)).orElseThrow();
		terminateSession(holderSession(id));
		provider.checkHealth();
		assertThat(provider.extend(lease, LEASE)).isFalse();
		assertThat(provider.tryAcquire(request("health", id))).isPresent();
	}

}
