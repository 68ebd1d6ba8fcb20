package dev.distlock.jdbc.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.distlock.spi.LockProvider;
import dev.distlock.test.LockProviderContractTest;

/**
 * The TCK wired for a session-lock provider on a real database: every instance has its own DataSource
 * and lock connections, which the TCK can kill behind the provider's back, and the unreachable
 * provider points at a closed port of the same database kind.
 */
public abstract class SessionLockProviderContractTest extends LockProviderContractTest {

	private final Map<LockProvider, KillableLockConnections> connections = new ConcurrentHashMap<>();

	private final String kind;

	protected SessionLockProviderContractTest(String kind) {
		this.kind = kind;
	}

	/** The provider under test on the given connections. */
	protected abstract LockProvider newProvider(DataSource dataSource, LockConnectionFactory lockConnections,
			SessionLockSettings settings);

	/** A JDBC URL of the same kind whose server does not answer (a closed port), with a short connect timeout. */
	protected abstract String unreachableUrl();

	@Override
	protected LockProvider createProvider(int instance) {
		KillableLockConnections lockConnections = new KillableLockConnections(this.kind);
		LockProvider provider = newProvider(TestDatabases.dataSource(this.kind), lockConnections,
				SessionLockSettings.defaults("tck-instance-" + instance));
		this.connections.put(provider, lockConnections);
		return provider;
	}

	@Override
	protected void killSessions(LockProvider provider) {
		this.connections.get(provider).killAll();
	}

	@Override
	protected LockProvider createUnreachableProvider() {
		String url = unreachableUrl();
		return newProvider(new DriverManagerDataSource(url), LockConnectionFactory.ofDriver(url, null, null),
				SessionLockSettings.defaults("tck-unreachable"));
	}

}
