package dev.distlock.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
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
import dev.distlock.test.server.LoopbackPort;
import dev.distlock.test.server.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A Sentinel failover under the redis provider, through Spring Data Redis's own Sentinel
 * configuration: 1 master + 2 replicas + 3 Sentinels (quorum 2), all private processes on loopback.
 * The master is SIGKILLed right after a grant its replicas never saw (SIGSTOPped, their links cut), so the
 * promoted replica has lost that key: the situation in which a failover hands one lock to two
 * holders, and fencing tokens are what keeps that harmless.
 */
class RedisSentinelFailoverTest {

	/** Longer than the client's command timeout, so a call right after the kill fails before promotion. */
	private static final Duration DOWN_AFTER = Duration.ofSeconds(3);

	private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(1500);

	private static final Duration LEASE = Duration.ofSeconds(30);

	private final List<AutoCloseable> resources = new ArrayList<>();

	private RedisServerProcess master;

	private final List<RedisServerProcess> replicas = new ArrayList<>();

	private final List<RedisSentinelProcess> sentinels = new ArrayList<>();

	@BeforeEach
	void startServers() throws Exception {
		assumeTrue(RedisServerProcess.isOnPath() && RedisSentinelProcess.isOnPath(),
				"redis-server or redis-sentinel is not on the PATH (scripts/ensure-services.sh installs them)");
		this.master = track(RedisServerProcess.start());
		for (int i = 0; i < 2; i++) {
			Path directory = Files.createTempDirectory("distlock-sentinel-replica-");
			this.resources.add(() -> TempDirectories.delete(directory));
			this.replicas.add(track(RedisServerProcess.start(LoopbackPort.free(), directory, "--replicaof", "127.0.0.1",
					String.valueOf(this.master.port()))));
		}
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.master.cli("INFO", "replication")).contains("connected_slaves:2"));
		for (int i = 0; i < 3; i++) {
			this.sentinels.add(track(RedisSentinelProcess.start(this.master.port(), 2, DOWN_AFTER)));
		}
		// Every Sentinel has found both replicas and the other Sentinels: a failover can be agreed.
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			for (RedisSentinelProcess sentinel : this.sentinels) {
				String info = sentinel.cli("SENTINEL", "master", RedisSentinelProcess.MASTER_NAME);
				assertThat(info).containsPattern("num-slaves\\s+2").containsPattern("num-other-sentinels\\s+2");
			}
		});
	}

	@AfterEach
	void stopServers() throws Exception {
		Collections.reverse(this.resources);
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void failoverFailsClosedThenRecoversWithLargerTokensAndTheHolderOfALostKeyLearnsAtItsNextRenewal() {
		RedisLockProvider provider = provider();
		List<String> lost = new CopyOnWriteArrayList<>();
		LockEngine engine = engine(provider, lost);

		List<Long> tokensBefore = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			Lease lease = provider.tryAcquire(new LeaseRequest("cycled", "before-" + i, LEASE)).orElseThrow();
			tokensBefore.add(lease.fencingToken());
			provider.release(lease);
		}
		Lease replicated = provider.tryAcquire(new LeaseRequest("replicated", "holder", LEASE)).orElseThrow();
		tokensBefore.add(replicated.fencingToken());
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			for (RedisServerProcess replica : this.replicas) {
				assertThat(replica.cli("EXISTS", "ha:{replicated}").trim()).isEqualTo("1");
			}
		});

		// A grant no replica sees: freeze them, cut their links on the master's side (what was sent
		// before is in their socket buffers; nothing after it is), grant, kill the master, thaw them.
		this.replicas.forEach((replica) -> ProcessSignals.stop(replica.pid()));
		LockHandle unseen;
		try {
			assertThat(this.master.cli("CLIENT", "KILL", "TYPE", "replica").trim()).isEqualTo("2");
			unseen = engine.acquire(LockRequest.of("unseen").leaseTime(LEASE));
			tokensBefore.add(unseen.fencingToken());
			this.master.kill();
		}
		finally {
			this.replicas.forEach((replica) -> ProcessSignals.resume(replica.pid()));
		}

		// During the failover: no master, so every call fails; none returns a grant.
		assertThatExceptionOfType(LockBackendException.class)
			.isThrownBy(() -> provider.tryAcquire(new LeaseRequest("during", "someone", LEASE)));

		int oldMaster = this.master.port();
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(this.sentinels.get(0).masterPort())
			.isNotIn(oldMaster, -1));
		// After it: locking works again (Lettuce asks the Sentinels for the new master on reconnect).
		Lease after = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
			.until(() -> provider.tryAcquire(new LeaseRequest("cycled", "after", LEASE)).orElse(null),
					(lease) -> lease != null);
		long maxBefore = Collections.max(tokensBefore);
		assertThat(after.fencingToken()).isGreaterThan(maxBefore);

		// The replicated grant survived: its lock is still busy for others, and still the holder's.
		assertThat(provider.tryAcquire(new LeaseRequest("replicated", "other", LEASE))).isEmpty();
		assertThat(provider.extend(replicated, LEASE)).isTrue();

		// The unseen grant is gone: a second holder gets the lock, with a token above the first's
		// (the new master never saw the counter; the server-time floor carries the order).
		Lease second = provider.tryAcquire(new LeaseRequest("unseen", "second-holder", LEASE)).orElseThrow();
		assertThat(second.fencingToken()).isGreaterThan(unseen.fencingToken()).isGreaterThan(maxBefore);

		// The first holder finds out at its next renewal: lease lost, with an event.
		// The handle turns invalid just before the engine tells its observer: wait for both.
		await().atMost(Duration.ofSeconds(60)).until(() -> !unseen.isValid() && !lost.isEmpty());
		assertThat(lost).singleElement().asString().contains("unseen");
		unseen.close();
	}

	private RedisLockProvider provider() {
		RedisSentinelConfiguration configuration = new RedisSentinelConfiguration(RedisSentinelProcess.MASTER_NAME,
				Set.of(this.sentinels.get(0).node(), this.sentinels.get(1).node(), this.sentinels.get(2).node()));
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration,
				LettuceClientConfiguration.builder().commandTimeout(COMMAND_TIMEOUT).build());
		factory.afterPropertiesSet();
		this.resources.add(factory::destroy);
		return track(new RedisLockProvider(factory, "ha:"));
	}

	private LockEngine engine(RedisLockProvider provider, List<String> lost) {
		LeaseWatchdog watchdog = track(new LeaseWatchdog());
		return new LockEngine(provider, watchdog, EngineSettings.defaults("sentinel-test"), new LockEngineObserver() {
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
