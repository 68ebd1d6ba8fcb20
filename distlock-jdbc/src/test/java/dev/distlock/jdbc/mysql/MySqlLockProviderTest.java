package dev.distlock.jdbc.mysql;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

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
import static org.awaitility.Awaitility.await;

/**
 * The {@code mysql} provider on a real MariaDB: the session-scoped behaviour shared with the
 * {@code postgres} provider, plus name hashing, listing and the schema check.
 */
class MySqlLockProviderTest extends SessionLockProviderBehaviourTest {

	private final JdbcTemplate database = new JdbcTemplate(TestDatabases.dataSource(TestDatabases.MYSQL));

	@Override
	protected String kind() {
		return TestDatabases.MYSQL;
	}

	@Override
	protected String otherKind() {
		return TestDatabases.POSTGRES;
	}

	@Override
	protected long holderSession(String lockId) {
		return this.database.queryForObject("SELECT IS_USED_LOCK(?)", Long.class, NamedLockName.of(lockId));
	}

	@Override
	protected void terminateSession(long sessionId) {
		this.database.update("KILL CONNECTION ?", sessionId);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.database.queryForObject(
				"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?", Integer.class, sessionId) == 0);
	}

	@Test
	void everyLockIdBecomesAStableNameWithinTheServerLimit() {
		assertThat(NamedLockName.of("order:42")).hasSize(63).startsWith("distlock:").matches("distlock:[0-9a-f]{54}");
		assertThat(NamedLockName.of("x".repeat(1000))).hasSize(63);
		assertThat(NamedLockName.of("")).hasSize(63);
		// SHA-256("order:42") starts with these bytes: the name is part of the contract between instances.
		String sha = this.database.queryForObject("SELECT LEFT(SHA2(?, 256), 54)", String.class, "order:42");
		assertThat(NamedLockName.of("order:42")).isEqualTo("distlock:" + sha);
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
		String schema = "distlock_missing_" + UUID.randomUUID().toString().substring(0, 8);
		this.database.execute("CREATE DATABASE " + schema);
		try {
			String url = TestDatabases.url(kind()).replaceFirst("/[^/?]*(\\?|$)", "/" + schema + "$1");
			AbstractSessionLockProvider<?> provider = closeLater(new MySqlLockProvider(
					new DriverManagerDataSource(url, TestDatabases.user(kind()), TestDatabases.password(kind())),
					LockConnectionFactory.ofDriver(url, TestDatabases.user(kind()), TestDatabases.password(kind())),
					SessionLockSettings.defaults("no-schema")));
			assertThatExceptionOfType(LockBackendException.class)
				.isThrownBy(() -> provider.tryAcquire(request("no-schema", lockId("x"))))
				.withMessageContaining("initializeSchema()")
				.withMessageContaining("dev/distlock/jdbc/mysql/schema.sql");
			((MySqlLockProvider) provider).initializeSchema();
			assertThat(provider.tryAcquire(request("no-schema", lockId("x")))).isPresent();
		}
		finally {
			this.database.execute("DROP DATABASE " + schema);
		}
	}

}
