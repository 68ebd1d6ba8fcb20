package dev.distlock.redis.fencing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
import dev.distlock.redis.RedisLockProvider;
import dev.distlock.test.FencedResourceContractTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@link FencedResource} contract for {@link RedisFencedResource} on the shared Redis
 * ({@code DISTLOCK_TEST_REDIS_URL}), with locks from the redis provider. Every key lives under a
 * prefix of its own per run, deleted afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisFencedResourceTest extends FencedResourceContractTest {

	private static final String URL = System.getenv().getOrDefault("DISTLOCK_TEST_REDIS_URL", "redis://127.0.0.1:6379");

	private final String keyPrefix = "distlock-fence-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private final Map<Integer, LettuceConnectionFactory> connections = new ConcurrentHashMap<>();

	private final Map<Integer, RedisFencedResource> fences = new ConcurrentHashMap<>();

	private LeaseWatchdog watchdog;

	private LockEngine engine;

	private RedisFencedLedger ledger;

	@BeforeAll
	void start() {
		this.watchdog = new LeaseWatchdog();
		this.engine = new LockEngine(new RedisLockProvider(connections(0), this.keyPrefix), this.watchdog,
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
		return List.of(RedisFencedHolderProcess.class.getName(), URL, this.keyPrefix, lockId, resource, writer);
	}

	@Test
	void eachResourceHasOneKeyUnderTheKeyPrefixWithItsOwnHashTag() {
		RedisFencedResource fence = fencedResource(0);
		assertThat(fence.fenceKey("order:42")).isEqualTo(this.keyPrefix + "fence:{order:42}");
		assertThat(fence.fenceKey("a{b}c")).isEqualTo(this.keyPrefix + "fence:{a\\[b\\]c}");
		assertThat(Set.of(fence.fenceKey(""), fence.fenceKey("\\e"), fence.fenceKey("{"), fence.fenceKey("\\["))).hasSize(4);
		fence.check("order:42" + this.keyPrefix, 3);
		assertThat(new StringRedisTemplate(connections(0)).opsForValue().get(fence.fenceKey("order:42" + this.keyPrefix)))
			.isEqualTo("3");
	}

	@Test
	void aKeyPrefixWithBracesIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisFencedResource(connections(0), "a{b}:"))
			.withMessageContaining("distlock.redis.key-prefix");
	}

}
