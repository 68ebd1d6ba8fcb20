package dev.distlock.benchmarks;

import java.util.concurrent.locks.Lock;

import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The peer Spring Integration {@link JdbcLockRegistry} on a {@link DefaultLockRepository} (its
 * table from {@code peer-schema-*.sql}), as an application uses it: {@code obtain(key).lock()}
 * (which polls the table, every 100 ms by default) then {@code unlock()}.
 */
final class JdbcLockRegistryPeer implements LockUnderTest {

	private final HikariDataSource pool;

	private final DefaultLockRepository repository;

	private final JdbcLockRegistry registry;

	JdbcLockRegistryPeer(BenchDatabases.Database database) {
		this.pool = BenchDatabases.pool(database);
		BenchDatabases.createPeerTables(this.pool);
		this.repository = new DefaultLockRepository(this.pool);
		this.repository.setPrefix("DISTLOCK_BENCH_INT_");
		this.repository.setTransactionManager(new DataSourceTransactionManager(this.pool));
		this.repository.afterPropertiesSet();
		this.repository.afterSingletonsInstantiated();
		this.registry = new JdbcLockRegistry(this.repository);
	}

	@Override
	public long runLocked(String key, Runnable section) {
		long start = System.nanoTime();
		Lock lock = this.registry.obtain(key);
		lock.lock();
		long waited = System.nanoTime() - start;
		try {
			section.run();
		}
		finally {
			lock.unlock();
		}
		return waited;
	}

	@Override
	public void close() {
		this.repository.close();
		this.pool.close();
	}

}
