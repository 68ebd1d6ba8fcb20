package dev.distlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.distlock.LockBackendException;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.engine.LockOrigin;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.test.server.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A Redis Cluster failover under the redis provider: 3 masters with a replica each, all private
 * processes on loopback. The master of one lock's slot is SIGKILLed right after a grant its replica
 * never saw (SIGSTOPped, its link cut), so the promoted replica has lost that key. Locks on the other
 * masters' slots keep working throughout; the dead master's slots fail closed until the replica takes
 * over; tokens after the failover are larger than every token before it; the holder of the lost key
 * learns at its next renewal. The client is configured as a Boot user would for failover:
 * {@code spring.data.redis.lettuce.cluster.refresh.adaptive=true} and a refresh period.
 */
class RedisClusterFailoverTest {

	private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(1500);

	private static final Duration LEASE = Duration.ofSeconds(30);

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final RedisLockKeys keys = new RedisLockKeys("ha:");

	private RedisTestCluster cluster;

	@BeforeEach
	void startCluster() {
		assumeTrue(RedisServerProcess.isOnPath(),
				"redis-server and redis-cli are not on the PATH (scripts/ensure-services.sh installs them)");
		this.cluster = track(RedisTestCluster.startWithReplicas());
	}

	@AfterEach
	void stopCluster() throws Exception {
		Collections.reverse(this.resources);
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void failoverFailsClosedOnTheLostSlotsOnlyThenRecoversWithLargerTokensAndTheHolderOfALostKeyLearns() {
		RedisLockProvider provider = provider();
		List<String> lost = new CopyOnWriteArrayList<>();
		LockEngine engine = engine(provider, lost);

		String unseenId = "unseen";
		RedisServerProcess doomed = this.cluster.masterOf(this.keys.slot(unseenId));
		String elsewhereId = idOnAnotherMaster(doomed);
		List<Long> tokensBefore = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			Lease lease = provider.tryAcquire(new LeaseRequest(unseenId, "before-" + i, LEASE)).orElseThrow();
			tokensBefore.add(lease.fencingToken());
			provider.release(lease);
		}
		RedisServerProcess replica = this.cluster.replicaOf(doomed);
		// The counter of those grants reached the replica: the next token must rise above it anyway.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(replica.cli("INFO", "replication")).contains("master_link_status:up"));

		// A grant the replica never sees: freeze it, cut its link on the master's side, grant, kill the
		// master, thaw it.
		ProcessSignals.stop(replica.pid());
		LockHandle unseen;
		try {
			assertThat(doomed.cli("CLIENT", "KILL", "TYPE", "replica").trim()).isEqualTo("1");
			unseen = engine.acquire(LockRequest.of(unseenId).leaseTime(LEASE));
			tokensBefore.add(unseen.fencingToken());
			doomed.kill();
		}
		finally {
			ProcessSignals.resume(replica.pid());
		}

		// During the failover: the dead master's slots fail closed, the others keep granting.
		assertThatExceptionOfType(LockBackendException.class)
			.isThrownBy(() -> provider.tryAcquire(new LeaseRequest(unseenId, "during", LEASE)));
		Lease elsewhere = provider.tryAcquire(new LeaseRequest(elsewhereId, "during", LEASE)).orElseThrow();
		provider.release(elsewhere);

		await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
			.until(() -> this.cluster.isStateOk() && this.cluster.masterOf(this.keys.slot(unseenId)) == replica);
		// After it: the lost key is free again (a second holder: the situation fencing makes harmless),
		// with a token above every token issued before (the server-time floor carries the order).
		Lease second = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
			.until(() -> provider.tryAcquire(new LeaseRequest(unseenId, "second-holder", LEASE)).orElse(null),
					(lease) -> lease != null);
		assertThat(second.fencingToken()).isGreaterThan(Collections.max(tokensBefore));

		// The first holder finds out at its next renewal: lease lost, with an event.
		await().atMost(Duration.ofSeconds(60)).until(() -> !unseen.isValid() && !lost.isEmpty());
		assertThat(lost).singleElement().asString().contains(unseenId);
		unseen.close();
	}

	private String idOnAnotherMaster(RedisServerProcess master) {
		for (int i = 0;; i++) {
			String id = "elsewhere-" + i;
			if (this.cluster.masterOf(this.keys.slot(id)) != master) {
				return id;
			}
		}
	}

	private RedisLockProvider provider() {
		ClusterTopologyRefreshOptions refresh = ClusterTopologyRefreshOptions.builder()
			.enableAllAdaptiveRefreshTriggers()
			.enablePeriodicRefresh(Duration.ofSeconds(1))
			.build();
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.commandTimeout(COMMAND_TIMEOUT)
			.clientOptions(ClusterClientOptions.builder().topologyRefreshOptions(refresh).build())
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisClusterConfiguration(this.cluster.nodes()),
				client);
		factory.afterPropertiesSet();
		this.resources.add(factory::destroy);
		return track(new RedisLockProvider(factory, "ha:"));
	}

	private LockEngine engine(RedisLockProvider provider, List<String> lost) {
		LeaseWatchdog watchdog = track(new LeaseWatchdog());
		return new LockEngine(provider, watchdog, EngineSettings.defaults("cluster-failover-test"), new LockEngineObserver() {
			@Override
			public void leaseLost(String providerId, LockOrigin origin, String lockId, long fencingToken, String reason) {
				lost.add(lockId + ": " + reason);
			}
		});
	}

	private <T extends AutoCloseable> T track(T resource) {
		this.resources.add(resource);
		return resource;
	}

}
