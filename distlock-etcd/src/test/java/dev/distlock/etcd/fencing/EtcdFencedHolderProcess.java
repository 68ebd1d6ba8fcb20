package dev.distlock.etcd.fencing;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.etcd.EtcdLockProvider;
import dev.distlock.jdbc.fencing.JdbcFencedResource;
import dev.distlock.test.FencedHolderProcess;
import dev.distlock.test.JdbcFencedLedger;

/**
 * The first holder of {@link EtcdFencedResourceTest}, in a JVM of its own so the test can SIGSTOP it:
 * locks on etcd with the test's short session lease, writes to the ledger in PostgreSQL. Arguments:
 * etcd endpoints, JDBC URL, user, lock id, resource, writer.
 */
public final class EtcdFencedHolderProcess {

	private EtcdFencedHolderProcess() {
	}

	public static void main(String[] args) {
		EtcdLockProvider provider = EtcdLockProvider.connect(args[0], EtcdFencedResourceTest.KEY_PREFIX,
				EtcdFencedResourceTest.SESSION_TTL, EtcdLockProvider.DEFAULT_REQUEST_TIMEOUT);
		LockEngine engine = new LockEngine(provider, new LeaseWatchdog(), EngineSettings.defaults("first-holder"),
				LockEngineObserver.NOOP);
		DriverManagerDataSource dataSource = new DriverManagerDataSource(args[1], args[2], "");
		JdbcFencedLedger ledger = new JdbcFencedLedger(dataSource,
				new JdbcFencedResource(dataSource, EtcdFencedResourceTest.FENCE_TABLE), EtcdFencedResourceTest.LEDGER_TABLE);
		FencedHolderProcess.run(engine, args[3], () -> ledger.write(args[4], args[5]));
		System.exit(0);
	}

}
