package dev.distlock.redis;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.distlock.spi.BackendLock;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LockProvider;
import dev.distlock.test.LockProviderContractTest;
import dev.distlock.test.server.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Redis provider meets the contract on a 3-master Redis Cluster that this test starts on
 * loopback ports 17001–17003: every script touches keys of one hash slot only, batch extend groups
 * leases by slot, listing scans every master and release messages reach waiters on any node.
 */
class RedisClusterLockProviderContractTest extends LockProviderContractTest {

	private static final Map<Integer, LettuceConnectionFactory> factories = new ConcurrentHashMap<>();

	private static RedisTestCluster cluster;

	@BeforeAll
	static void startCluster() {
		assumeTrue(RedisServerProcess.isOnPath(),
				"redis-server and redis-cli are not on the PATH: skipping the Redis Cluster tests (CI installs them)");
		cluster = RedisTestCluster.start();
	}

	@AfterAll
	static void stopCluster() {
		factories.values().forEach(LettuceConnectionFactory::destroy);
		factories.clear();
		if (cluster != null) {
			cluster.close();
		}
	}

	@Override
	protected LockProvider createProvider(int instance) {
		return new RedisLockProvider(factories.computeIfAbsent(instance, (i) -> RedisTestConnections.cluster(cluster.nodes())));
	}

	@Override
	protected LockProvider createUnreachableProvider() {
		return RedisTestConnections.unreachableProvider();
	}

	@Test
	void listsLocksHeldOnEveryMaster() {
		RedisLockKeys keys = new RedisLockKeys(RedisLockProvider.DEFAULT_KEY_PREFIX);
		List<Lease> leases = IntStream.range(0, 30).mapToObj((i) -> acquire(0, lockId("listed-" + i), LONG_LEASE)).toList();
		Set<Integer> masters = leases.stream().map((lease) -> keys.slot(lease.lockId()) * 3 / 16384)
			.collect(Collectors.toSet());
		assertThat(masters).as("the locks are spread over the masters").hasSizeGreaterThan(1);

		Map<String, BackendLock> listed = instance(1).listLocks().stream()
			.collect(Collectors.toMap(BackendLock::lockId, (lock) -> lock));
		for (Lease lease : leases) {
			assertThat(listed.get(lease.lockId())).isNotNull()
				.extracting(BackendLock::owner, BackendLock::fencingToken)
				.containsExactly(lease.owner(), lease.fencingToken());
		}
	}

}
