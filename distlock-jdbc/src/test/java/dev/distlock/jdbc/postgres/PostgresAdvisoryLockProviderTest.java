package dev.distlock.jdbc.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import dev.distlock.LockBackendException;
import dev.distlock.jdbc.session.AbstractSessionLockProvider;
import dev.distlock.jdbc.session.LockConnectionFactory;
import dev.distlock.jdbc.session.SessionLockProviderBehaviourTest;
import dev.distlock.jdbc.session.SessionLockSettings;
import dev.distlock.jdbc.session.TestDatabases;
import dev.distlock.spi.BackendLock;
import dev.distlock.spi.Lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code postgres} provider on a real PostgreSQL: the session-scoped behaviour shared with the
 * {@code mysql} provider, plus what only PostgreSQL shows (keys, session names, holders table).
 */
class PostgresAdvisoryLockProviderTest extends SessionLockProviderBehaviourTest {

	private final JdbcTemplate database = new JdbcTemplate(TestDatabases.dataSource(TestDatabases.POSTGRES));

	@Override
	protected String kind() {
		return TestDatabases.POSTGRES;
	}

	@Override
	protected String otherKind() {
		return TestDatabases.MYSQL;
	}

	@Override
	protected long holderSession(String lockId) {
		return this.database.queryForObject("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 "
				+ "AND granted AND ((classid::bigint << 32) | objid::bigint) = ?", Long.class, AdvisoryLockKey.of(lockId));
	}

	@Override
	protected void terminateSession(long sessionId) {
		this.database.queryForObject("SELECT pg_terminate_backend(?::int, 5000)", Boolean.class, sessionId);
	}

	@Test
	void advisoryLockKeyMatchesItsDocumentedSqlExpression() {
		for (String lockId : List.of("order:42", "ünïcödé-ключ-鍵-🔒", "x".repeat(1000), "")) {
			Long sql = this.database.queryForObject(
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
		String name = this.database.queryForObject("SELECT application_name FROM pg_stat_activity WHERE pid = ?",
				String.class, (int) holderSession(id));
		assertThat(name).isEqualTo("distlock:host-a:1234:abcd");
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
	void aMissingSchemaFailsWithAMessageThatSaysHowToCreateIt() {
		String schema = "distlock_missing_" + UUID.randomUUID().toString().substring(0, 8);
		this.database.execute("CREATE SCHEMA " + schema);
		try {
			String url = TestDatabases.url(kind()) + (TestDatabases.url(kind()).contains("?") ? "&" : "?")
					+ "currentSchema=" + schema;
			AbstractSessionLockProvider<?> provider = closeLater(new PostgresAdvisoryLockProvider(
					new DriverManagerDataSource(url, TestDatabases.user(kind()), TestDatabases.password(kind())),
					LockConnectionFactory.ofDriver(url, TestDatabases.user(kind()),
							TestDatabases.password(kind())),
					SessionLockSettings.defaults("no-schema")));
			assertThatExceptionOfType(LockBackendException.class)
				.isThrownBy(() -> provider.tryAcquire(request("no-schema", lockId("x"))))
				.withMessageContaining("initializeSchema()")
				.withMessageContaining("dev/distlock/jdbc/postgres/schema.sql");
			((PostgresAdvisoryLockProvider) provider).initializeSchema();
			assertThat(provider.tryAcquire(request("no-schema", lockId("x")))).isPresent();
		}
		finally {
			this.database.execute("DROP SCHEMA " + schema + " CASCADE");
		}
	}

	@Test
	void initializeSchemaIsSafeToRunConcurrentlyAndRepeatedly() {
		List<CompletableFuture<Void>> runs = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			runs.add(CompletableFuture.runAsync(() -> TestDatabases.initializeSchema(kind())));
		}
		runs.forEach(CompletableFuture::join);
	}

}
