package dev.distlock.jdbc.table;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.distlock.LockBackendException;
import dev.distlock.LockConfigurationException;
import dev.distlock.jdbc.DatabaseKind;
import dev.distlock.spi.ProviderCapability;
import dev.distlock.spi.LeaseRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** What the provider checks and computes before it talks to a database. */
class JdbcTableLockProviderConfigurationTests {

	private final DriverManagerDataSource neverConnected = new DriverManagerDataSource("jdbc:h2:mem:never-used");

	@ParameterizedTest
	@ValueSource(strings = { "distlock_lock", "locks.distlock_lock", "_x1", "LOCKS" })
	void acceptsPlainTableNames(String tableName) {
		assertThat(new JdbcTableLockProvider(this.neverConnected, tableName).tableName()).isEqualTo(tableName);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "1locks", "locks; DROP TABLE x", "\"quoted\"", "a..b", "a.", "lock-table", "lock table" })
	void rejectsTableNamesThatAreNotPlainIdentifiers(String tableName) {
		assertThatExceptionOfType(LockConfigurationException.class)
			.isThrownBy(() -> new JdbcTableLockProvider(this.neverConnected, tableName))
			.withMessageContaining("distlock.jdbc.table-name '" + tableName + "'");
	}

	@Test
	void anUnreachableDatabaseFailsWithTheOperationAndLockInTheMessage() {
		JdbcTableLockProvider provider = new JdbcTableLockProvider(
				new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/unreachable", "postgres", ""));
		assertThatExceptionOfType(LockBackendException.class)
			.isThrownBy(() -> provider.tryAcquire(new LeaseRequest("orders:42", "host:1:abc#1", Duration.ofSeconds(30))))
			.withMessageStartingWith("jdbc-table: acquiring lock 'orders:42' failed");
		assertThatExceptionOfType(LockBackendException.class).isThrownBy(provider::checkHealth)
			.withMessageStartingWith("jdbc-table: checking table 'distlock_lock' failed");
	}

	@Test
	void aPostgresqlDatabaseUnreachableWhenCapabilitiesAreFirstAskedLeavesWaitersPolling() {
		JdbcTableLockProvider provider = new JdbcTableLockProvider(
				new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/unreachable", "postgres", ""));
		assertThat(provider.capabilities()).doesNotContain(ProviderCapability.RELEASE_NOTIFICATIONS);
		assertThat(provider.capabilities()).as("decided once").isSameAs(provider.capabilities());
	}

	@Test
	void aProviderToldItIsOnPostgresqlNotifiesWaitersWithoutAskingTheDatabase() {
		JdbcTableLockProvider provider = new JdbcTableLockProvider(
				new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/unreachable", "postgres", ""),
				"distlock_lock", DatabaseKind.POSTGRESQL);
		assertThat(provider.capabilities()).contains(ProviderCapability.RELEASE_NOTIFICATIONS);
		JdbcTableLockProvider onH2 = new JdbcTableLockProvider(this.neverConnected, "distlock_lock", DatabaseKind.H2);
		assertThat(onH2.capabilities()).doesNotContain(ProviderCapability.RELEASE_NOTIFICATIONS);
	}

	@Test
	void roundsLeaseTimesUpToWholeMilliseconds() {
		assertThat(JdbcTableLockProvider.leaseMillis(Duration.ofSeconds(30))).isEqualTo(30_000);
		assertThat(JdbcTableLockProvider.leaseMillis(Duration.ofNanos(1))).isEqualTo(1);
		assertThat(JdbcTableLockProvider.leaseMillis(Duration.ofMillis(5).plusNanos(1))).isEqualTo(6);
	}

	@Test
	void storesLockIdsUnderTheirSha256AndKeepsTheTextReadable() {
		StoredLockId id = StoredLockId.of("abc");
		assertThat(id.key()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		assertThat(id.text()).isEqualTo("abc");
		assertThat(StoredLockId.of("a\u0000b").text()).isEqualTo("a\uFFFDb");
		assertThat(StoredLockId.of("x".repeat(1000)).key()).hasSize(64);
		assertThat(StoredLockId.of("x".repeat(1000)).text()).isEqualTo("x".repeat(1000));
		String cut = StoredLockId.of("x".repeat(998) + "\uD83D\uDD12" + "y".repeat(9000)).text();
		assertThat(cut).as("cut before a surrogate pair, never inside it").isEqualTo("x".repeat(998) + "\u2026");
	}

}
