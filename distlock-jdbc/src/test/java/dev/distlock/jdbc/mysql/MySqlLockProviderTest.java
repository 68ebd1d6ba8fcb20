package dev.distlock.jdbc.mysql;

import org.junit.jupiter.api.Test;

import dev.distlock.jdbc.session.SessionLockProviderBehaviourTest;
import dev.distlock.jdbc.session.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code mysql} provider on a real MariaDB: the session-scoped behaviour shared with the
 * {@code postgres} provider, plus how lock ids become lock names.
 */
class MySqlLockProviderTest extends SessionLockProviderBehaviourTest {

	MySqlLockProviderTest() {
		super(TestDatabases.MYSQL);
	}

	@Test
	void everyLockIdBecomesAStableNameWithinTheServerLimit() {
		assertThat(NamedLockName.of("order:42")).hasSize(63).startsWith("distlock:").matches("distlock:[0-9a-f]{54}");
		assertThat(NamedLockName.of("x".repeat(1000))).hasSize(63);
		assertThat(NamedLockName.of("")).hasSize(63);
		// SHA-256("order:42") starts with these bytes: the name is part of the contract between instances.
		String sha = database().queryForObject("SELECT LEFT(SHA2(?, 256), 54)", String.class, "order:42");
		assertThat(NamedLockName.of("order:42")).isEqualTo("distlock:" + sha);
	}

}
