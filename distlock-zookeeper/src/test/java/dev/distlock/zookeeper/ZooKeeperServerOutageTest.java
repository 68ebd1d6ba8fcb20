package dev.distlock.zookeeper;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.distlock.LockBackendException;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A short outage of a standalone server that the holder's session survives: calls fail closed within
 * a bounded time, a release that could not reach the server still happens once it is back, and
 * fencing tokens keep increasing across the server's restart.
 */
class ZooKeeperServerOutageTest {

	/**
	 * Long enough to outlive the outage below, which lasts as long as the failing calls take (each is
	 * bounded by the connection timeout) plus the restart: on a loaded CI machine that exceeded 10s, and
	 * Curator then expires the session itself. 1500ms ticks allow sessions of up to 30s.
	 */
	private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration LEASE = Duration.ofSeconds(30);

	private TestingServer server;

	private CuratorFramework holderClient;

	private CuratorFramework otherClient;

	@BeforeEach
	void startServer() throws Exception {
		this.server = new TestingServer(ZooKeeperTestClients.spec(-1, 1500), true);
		this.holderClient = ZooKeeperTestClients.connectedClient(this.server.getConnectString(), SESSION_TIMEOUT);
		this.otherClient = ZooKeeperTestClients.connectedClient(this.server.getConnectString(), SESSION_TIMEOUT);
	}

	@AfterEach
	void stopServer() throws Exception {
		this.holderClient.close();
		this.otherClient.close();
		this.server.close();
	}

	@Test
	void failsClosedWhileTheServerIsDownAndFinishesAReleaseWhenItIsBack() throws Exception {
		ZooKeeperLockProvider holder = new ZooKeeperLockProvider(this.holderClient, "/locks", CONNECTION_TIMEOUT);
		ZooKeeperLockProvider other = new ZooKeeperLockProvider(this.otherClient, "/locks", CONNECTION_TIMEOUT);
		Lease released = holder.tryAcquire(new LeaseRequest("released", "holder#1", LEASE)).orElseThrow();
		Lease kept = holder.tryAcquire(new LeaseRequest("kept", "holder#2", LEASE)).orElseThrow();

		this.server.stop();

		long start = System.nanoTime();
		assertThatExceptionOfType(LockBackendException.class)
			.isThrownBy(() -> holder.tryAcquire(new LeaseRequest("new", "holder#3", LEASE)));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("fails closed in bounded time")
			.isLessThan(Duration.ofSeconds(15));
		await().atMost(Duration.ofSeconds(10)).until(holder::leasesAtRisk);
		assertThatExceptionOfType(LockBackendException.class).as("cannot confirm while suspended")
			.isThrownBy(() -> holder.extend(kept, LEASE));
		assertThatExceptionOfType(LockBackendException.class).as("release deferred")
			.isThrownBy(() -> holder.release(released));
		assertThatExceptionOfType(LockBackendException.class).isThrownBy(holder::checkHealth);

		this.server.restart();

		AtomicLong nextToken = new AtomicLong();
		await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(LockBackendException.class).until(() -> {
			Optional<Lease> next = other.tryAcquire(new LeaseRequest("released", "other#1", LEASE));
			next.ifPresent((lease) -> nextToken.set(lease.fencingToken()));
			return next.isPresent();
		});
		assertThat(nextToken.get()).as("token after the server restart").isGreaterThan(kept.fencingToken());
		// The holder's session survived (its other lock is still held), so the deferred release freed the lock.
		assertThat(holder.extend(kept, LEASE)).isTrue();
		assertThat(holder.leasesAtRisk()).isFalse();
		holder.checkHealth();
		holder.close();
		other.close();
	}

}
