package dev.distlock.jdbc.postgres;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import dev.distlock.jdbc.session.AbstractSessionLockProvider;
import dev.distlock.jdbc.session.SessionLockProviderBehaviourTest;
import dev.distlock.jdbc.session.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

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

}
