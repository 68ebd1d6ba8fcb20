package dev.distlock.redis.fencing;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.distlock.FencedResource;
import dev.distlock.LockTemplate;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.spi.LockProvider;
import dev.distlock.test.FencedResourceContractTest;

/**
 * The {@link FencedResource} contract for {@link RedisFencedResource} on the shared Redis
 * ({@code DISTLOCK_TEST_REDIS_URL}), the ledger beside it; a subclass says where the locks come from
 * and how its child-JVM holder starts. Every key lives under a prefix of its own per run, deleted
 * afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RedisLedgerFencedResourceTests extends FencedResourceContractTest {

	static final String URL = System.getenv().getOrDefault("DISTLOCK_TEST_REDIS_URL", "redis://127.0.0.1:6379");

	final String keyPrefix = "distlock-fence-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private final Map<Integer, LettuceConnectionFactory> connections = new ConcurrentHashMap<>();

	private final Map<Integer, RedisFencedResource> fences = new ConcurrentHashMap<>();

	private LeaseWatchdog watchdog;

	private LockProvider locks;

	private LockEngine engine;

	private RedisFencedLedger ledger;

	/** The provider of the test's (second) holder, its keys under {@link #keyPrefix}. */
	protected abstract LockProvider createLockProvider();

	@BeforeAll
	void start() {
		this.locks = createLockProvider();
		this.watchdog = new LeaseWatchdog();
		this.engine = new LockEngine(this.locks, this.watchdog, EngineSettings.defaults("second-holder"),
				LockEngineObserver.NOOP);
		this.ledger = new RedisFencedLedger(connections(0), fencedResource(0), this.keyPrefix);
	}

	@AfterAll
	void deleteKeysAndClose() {
		StringRedisTemplate redis = new StringRedisTemplate(connections(0));
		try (var keys = redis.scan(ScanOptions.scanOptions().match(this.keyPrefix + "*").count(1000).build())) {
			keys.forEachRemaining(redis::delete);
		}
		finally {
			if (this.watchdog != null) {
				this.watchdog.close();
			}
			if (this.locks != null) {
				this.locks.close();
			}
			this.connections.values().forEach(LettuceConnectionFactory::destroy);
		}
	}

	final LettuceConnectionFactory connections(int context) {
		return this.connections.computeIfAbsent(context, (n) -> RedisFencedLedger.connect(URL));
	}

	@Override
	protected RedisFencedResource fencedResource(int context) {
		return this.fences.computeIfAbsent(context, (n) -> new RedisFencedResource(connections(n), this.keyPrefix));
	}

	@Override
	protected void inTransaction(int context, Runnable work) {
		work.run();
	}

	@Override
	protected LockTemplate lockTemplate() {
		return this.engine;
	}

	@Override
	protected void fencedWrite(String resource, String writer) {
		this.ledger.write(resource, writer);
	}

	@Override
	protected List<String> writes(String resource) {
		return this.ledger.writers(resource);
	}

}
