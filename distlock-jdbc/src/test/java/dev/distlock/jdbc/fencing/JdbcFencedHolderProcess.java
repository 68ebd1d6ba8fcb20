package dev.distlock.jdbc.fencing;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.jdbc.table.JdbcTableLockProvider;
import dev.distlock.test.FencedHolderProcess;
import dev.distlock.test.JdbcFencedLedger;

/**
 * A lock holder in a child JVM ({@link FencedHolderProcess}) on the jdbc-table provider, writing to
 * the {@link JdbcFencedLedger} through a {@link JdbcFencedResource}. Arguments: JDBC URL, user,
 * password, lock table, fence table, lock id, resource, writer.
 */
public final class JdbcFencedHolderProcess {

	private JdbcFencedHolderProcess() {
	}

	public static void main(String[] args) {
		DriverManagerDataSource dataSource = new DriverManagerDataSource(args[0], args[1], args[2]);
		JdbcTableLockProvider provider = new JdbcTableLockProvider(dataSource, args[3]);
		LockEngine engine = new LockEngine(provider, new LeaseWatchdog(), EngineSettings.defaults("first-holder"),
				LockEngineObserver.NOOP);
		JdbcFencedLedger ledger = new JdbcFencedLedger(dataSource, new JdbcFencedResource(dataSource, args[4]),
				JdbcFencedResourceContractTests.LEDGER_TABLE);
		FencedHolderProcess.run(engine, args[5], () -> ledger.write(args[6], args[7]));
		System.exit(0);
	}

}
