package dev.distlock.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.provider.redis.spring.RedisLockProvider;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The peer ShedLock, through its {@link LockProvider} as its {@code @SchedulerLock} aspect calls it:
 * {@code lock(LockConfiguration)} then {@code unlock()}, with a 30 s {@code lockAtMostFor}. ShedLock
 * has no blocking acquire (a busy lock is skipped), so a waiter retries at once.
 */
final class ShedLockPeer implements LockUnderTest {

	private static final Duration LOCK_AT_MOST_FOR = Duration.ofSeconds(30);

	private final LockProvider provider;

	private final Runnable closeClient;

	private ShedLockPeer(LockProvider provider, Runnable closeClient) {
		this.provider = provider;
		this.closeClient = closeClient;
	}

	/** ShedLock's Spring Data Redis provider on its own Lettuce connection factory. */
	static ShedLockPeer redis(String redisUrl) {
		LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(
				LettuceConnectionFactory.createRedisConfiguration(redisUrl));
		connectionFactory.afterPropertiesSet();
		return new ShedLockPeer(new RedisLockProvider(connectionFactory, "distlock-bench-shedlock"),
				connectionFactory::destroy);
	}

	/** ShedLock's JdbcTemplate provider on an application pool, its table from {@code peer-schema-*.sql}. */
	static ShedLockPeer jdbc(BenchDatabases.Database database) {
		HikariDataSource pool = BenchDatabases.pool(database);
		BenchDatabases.createPeerTables(pool);
		LockProvider provider = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
			.withJdbcTemplate(new JdbcTemplate(pool))
			.withTableName("distlock_bench_shedlock")
			.usingDbTime()
			.build());
		return new ShedLockPeer(provider, pool::close);
	}

	@Override
	public long runLocked(String key, Runnable section) {
		long start = System.nanoTime();
		Optional<SimpleLock> lock = this.provider.lock(configuration(key));
		while (lock.isEmpty()) {
			Thread.onSpinWait();
			lock = this.provider.lock(configuration(key));
		}
		long waited = System.nanoTime() - start;
		try {
			section.run();
		}
		finally {
			lock.get().unlock();
		}
		return waited;
	}

	private static LockConfiguration configuration(String key) {
		return new LockConfiguration(Instant.now(), key, LOCK_AT_MOST_FOR, Duration.ZERO);
	}

	@Override
	public void close() {
		this.closeClient.run();
	}

}
