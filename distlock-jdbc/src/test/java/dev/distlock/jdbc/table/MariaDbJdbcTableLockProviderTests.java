package dev.distlock.jdbc.table;

import com.zaxxer.hikari.HikariConfig;
import org.junit.jupiter.api.Test;

import dev.distlock.spi.ProviderCapability;
import dev.distlock.spi.ReleaseSubscription;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jdbc-table provider on a real MariaDB (or MySQL) server ({@code DISTLOCK_TEST_MYSQL_URL}),
 * where waiters poll: there is no LISTEN/NOTIFY.
 */
class MariaDbJdbcTableLockProviderTests extends JdbcTableLockProviderContractTests {

	@Override
	protected HikariConfig connectionSettings() {
		return connectTo(env("DISTLOCK_TEST_MYSQL_URL", "jdbc:mariadb://127.0.0.1:3306/test"),
				env("DISTLOCK_TEST_MYSQL_USER", "root"), env("DISTLOCK_TEST_MYSQL_PASSWORD", ""));
	}

	@Override
	protected String schemaResource() {
		return "classpath:dev/distlock/jdbc/table/schema-mysql.sql";
	}

	@Override
	protected int statementsPerAcquire() {
		return 2;
	}

	@Override
	protected String millisUntilExpiryQuery() {
		return "SELECT TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), expires_at) DIV 1000 FROM TABLE WHERE lock_key = ?";
	}

	@Test
	void doesNotClaimReleaseNotificationsSoWaitersPoll() {
		assertThat(instance(0).capabilities()).doesNotContain(ProviderCapability.RELEASE_NOTIFICATIONS);
		assertThat(instance(0).onRelease(lockId("polled"), () -> {
		})).isSameAs(ReleaseSubscription.NONE);
	}

}
