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
import dev.distlock.redis.redlock.RedlockProvider;
import dev.distlock.redis.redlock.RedlockTestNodes;
import dev.distlock.test.server.RedisServerProcess;
import dev.distlock.test.FencedResourceContractTest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@link FencedResource} contract with locks from Redlock on five private {@code redis-server}
 * masters, the fenced resource on the shared Redis: above all, a holder SIGSTOPped past its lease
 * (the pause that breaks Redlock's timing assumption) is refused once the next holder wrote.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedlockFencedResourceTest extends FencedResourceContractTest {

	private static final String URL = System.getenv().getOrDefault("DISTLOCK_TEST_REDIS_URL", "redis://127.0.0.1:6379");

	private final String keyPrefix = "distlock-redlock-fence-" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private final Map<Integer, LettuceConnectionFactory> connections = new ConcurrentHashMap<>();

	private final Map<Integer, RedisFencedResource> fences = new ConcurrentHashMap<>();

	private LeaseWatchdog watchdog;

	private LockEngine engine;

	private RedisFencedLedger ledger;

	private RedlockTestNodes nodes;

	private RedlockProvider redlock;

	@BeforeAll
	void start() {
		assumeTrue(RedisServerProcess.isOnPath(), "redis-server is not on the PATH");
		this.nodes = RedlockTestNodes.start(5);
		this.redlock = this.nodes.provider(this.keyPrefix);
		this.watchdog = new LeaseWatchdog();
		this.engine = new LockEngine(this.redlock, this.watchdog,
				EngineSettings.defaults("second-holder"), LockEngineObserver.NOOP);
		this.ledger = new RedisFencedLedger(connections(0), fencedResource(0), this.keyPrefix);
	}

	@AfterAll
	void deleteKeysAndClose() {
		StringRedisTemplate redis = new StringRedisTemplate(connections(0));
		try (var keys = redis.scan(ScanOptions.scanOptions().match(this.keyPrefix + "*").count(1000).build())) {
			keys.forEachRemaining(redis::delete);
		}
		finally {
			this.watchdog.close();
			this.redlock.close();
			this.nodes.close();
			this.connections.values().forEach(LettuceConnectionFactory::destroy);
		}
	}

	private LettuceConnectionFactory connections(int context) {
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

	@Override
	protected List<String> holderProcess(String lockId, String resource, String writer) {
		return List.of(RedlockFencedHolderProcess.class.getName(), String.join(",", this.nodes.urls()), this.keyPrefix,
				lockId, resource, writer, URL);
	}

}
