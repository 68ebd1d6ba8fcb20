package dev.distlock.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.distlock.LockBackendException;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.test.server.LoopbackPort;
import dev.distlock.test.server.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code distlock.redis.wait-for-replicas}: on a private master with one replica, a grant counts
 * only once the replica has it; with the replica frozen (SIGSTOP: connected, but acknowledging
 * nothing) or gone, the grant is undone and the call fails closed.
 */
class RedisReplicaAcknowledgementTest {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private static RedisServerProcess master;

	private static RedisServerProcess replica;

	private static Path replicaDirectory;

	private LettuceConnectionFactory factory;

	private RedisLockProvider provider;

	@BeforeAll
	static void startMasterAndReplica() throws Exception {
		assumeTrue(RedisServerProcess.isOnPath(), "redis-server is not on the PATH");
		master = RedisServerProcess.start();
		replicaDirectory = Files.createTempDirectory("distlock-replica-");
		replica = RedisServerProcess.start(LoopbackPort.free(), replicaDirectory, "--replicaof", "127.0.0.1",
				String.valueOf(master.port()));
		awaitReplicaOnline();
	}

	@AfterAll
	static void stopServers() {
		if (replica != null) {
			replica.close();
		}
		if (master != null) {
			master.close();
		}
		if (replicaDirectory != null) {
			TempDirectories.delete(replicaDirectory);
		}
	}

	@AfterEach
	void closeProvider() {
		if (this.provider != null) {
			this.provider.close();
		}
		if (this.factory != null) {
			this.factory.destroy();
		}
	}

	@Test
	void grantCountsOnceTheReplicaAcknowledgedIt() {
		RedisLockProvider provider = provider(1);
		Optional<Lease> lease = provider.tryAcquire(new LeaseRequest("acked", "owner-a", LEASE));
		assertThat(lease).isPresent();
		// WAIT returned only after the replica applied the write: it has the key now, not eventually.
		assertThat(replica.cli("EXISTS", "ack:{acked}").trim()).isEqualTo("1");
		assertThat(provider.extend(lease.get(), LEASE)).isTrue();
		provider.release(lease.get());
	}

	@Test
	void grantIsUndoneAndFailsClosedWhileTheReplicaIsFrozen() {
		RedisLockProvider provider = provider(1);
		ProcessSignals.stop(replica.pid());
		try {
			assertThatExceptionOfType(LockBackendException.class)
				.isThrownBy(() -> provider.tryAcquire(new LeaseRequest("frozen", "owner-a", LEASE)))
				.withMessageContaining("acknowledged by 0 of the 1 replicas")
				.withMessageContaining("distlock.redis.wait-for-replicas")
				.withMessageContaining("undone");
			assertThat(master.cli("EXISTS", "ack:{frozen}").trim()).as("grant undone on the master").isEqualTo("0");
		}
		finally {
			ProcessSignals.resume(replica.pid());
		}
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(provider.tryAcquire(new LeaseRequest("frozen", "owner-b", LEASE)))
				.isPresent());
	}

	@Test
	void renewalFailsClosedWhileTheReplicaIsFrozen() {
		RedisLockProvider provider = provider(1);
		Lease lease = provider.tryAcquire(new LeaseRequest("renewal", "owner-a", LEASE)).orElseThrow();
		ProcessSignals.stop(replica.pid());
		try {
			assertThatExceptionOfType(LockBackendException.class).isThrownBy(() -> provider.extend(lease, LEASE))
				.withMessageContaining("renewal");
			assertThatExceptionOfType(LockBackendException.class)
				.isThrownBy(() -> provider.extendAll(java.util.List.of(lease)));
		}
		finally {
			ProcessSignals.resume(replica.pid());
		}
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(provider.extend(lease, LEASE)).isTrue());
		provider.release(lease);
	}

	@Test
	void grantFailsClosedWhenFewerReplicasExistThanRequired() {
		RedisLockProvider provider = provider(2);
		assertThatExceptionOfType(LockBackendException.class)
			.isThrownBy(() -> provider.tryAcquire(new LeaseRequest("two", "owner-a", LEASE)))
			.withMessageContaining("acknowledged by 1 of the 2 replicas");
		assertThat(master.cli("EXISTS", "ack:{two}").trim()).isEqualTo("0");
	}

	@Test
	void badSettingsAreRejectedNamingTheProperty() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ReplicaAcknowledgement(-1, Duration.ofMillis(100)))
			.withMessageContaining("distlock.redis.wait-for-replicas");
		assertThatIllegalArgumentException().isThrownBy(() -> new ReplicaAcknowledgement(1, Duration.ZERO))
			.withMessageContaining("distlock.redis.wait-timeout");
	}

	private RedisLockProvider provider(int replicas) {
		this.factory = RedisTestConnections.standalone(master.port());
		this.provider = new RedisLockProvider(this.factory, "ack:",
				new ReplicaAcknowledgement(replicas, Duration.ofMillis(300)));
		return this.provider;
	}

	private static void awaitReplicaOnline() {
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(master.cli("INFO", "replication")).contains("connected_slaves:1")
				.contains("state=online"));
	}

	/**
	 * Each test starts with a replica that acknowledges writes again: after a SIGCONT it may take a
	 * moment (its next REPLCONF ACK, or a resync) before WAIT counts it.
	 */
	@BeforeEach
	void awaitReplicaAcknowledging() {
		awaitReplicaOnline();
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			master.cli("SET", "distlock-test:replica-probe", "x");
			return master.cli("WAIT", "1", "1000").trim().equals("1");
		});
	}

}
