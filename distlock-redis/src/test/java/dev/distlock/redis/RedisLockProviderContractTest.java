package dev.distlock.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.distlock.spi.LockProvider;
import dev.distlock.test.LockProviderContractTest;

/**
 * The Redis provider meets the contract on the shared standalone Redis
 * ({@code DISTLOCK_TEST_REDIS_URL}, default {@code redis://127.0.0.1:6379}); each simulated
 * instance has its own Lettuce connection factory.
 */
class RedisLockProviderContractTest extends LockProviderContractTest {

	private static final Map<Integer, LettuceConnectionFactory> factories = new ConcurrentHashMap<>();

	@Override
	protected LockProvider createProvider(int instance) {
		LettuceConnectionFactory factory = factories.computeIfAbsent(instance,
				(i) -> RedisTestConnections.standalone(RedisTestConnections.SHARED_URL));
		return new RedisLockProvider(factory, "distlock-tck:");
	}

	@Override
	protected LockProvider createUnreachableProvider() {
		return RedisTestConnections.unreachableProvider();
	}

	@AfterAll
	static void closeConnections() {
		factories.values().forEach(LettuceConnectionFactory::destroy);
		factories.clear();
	}

}
