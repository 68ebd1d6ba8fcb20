package dev.distlock.redis.redlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.distlock.LockBackendException;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.test.server.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Redlock with nodes SIGKILLed and restarted empty, on five private {@code redis-server} masters:
 * a majority is enough, less fails closed without hanging, and fencing tokens keep increasing
 * because every grant's token was written back to a majority.
 */
class RedlockFaultTest {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private RedlockTestNodes nodes;

	private RedlockProvider provider;

	private RedlockProvider contender;

	@BeforeEach
	void start() {
		assumeTrue(RedisServerProcess.isOnPath(), "redis-server is not on the PATH");
		this.nodes = RedlockTestNodes.start(5);
		this.provider = this.nodes.provider("redlock-fault:");
		this.contender = this.nodes.provider("redlock-fault:");
	}

	@AfterEach
	void stop() {
		if (this.provider != null) {
			this.provider.close();
			this.contender.close();
		}
		if (this.nodes != null) {
			this.nodes.close();
		}
	}

	@Test
	void withTwoOfFiveNodesKilledLockingWorksAndTokensIncrease() {
		long before = cycle("two-down", 3);
		this.nodes.server(0).kill();
		this.nodes.server(3).kill();

		Lease held = this.provider.tryAcquire(new LeaseRequest("two-down", "a", LEASE)).orElseThrow();
		assertThat(held.fencingToken()).isGreaterThan(before);
		assertThat(this.contender.tryAcquire(new LeaseRequest("two-down", "b", LEASE))).as("still exclusive").isEmpty();
		assertThat(this.provider.extend(held, LEASE)).isTrue();
		this.provider.release(held);
		Lease next = this.contender.tryAcquire(new LeaseRequest("two-down", "b", LEASE)).orElseThrow();
		assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
	}

	@Test
	void withThreeOfFiveNodesKilledEveryCallFailsClosedWithinTheNodeTimeout() {
		Lease held = this.provider.tryAcquire(new LeaseRequest("three-down", "a", LEASE)).orElseThrow();
		this.nodes.server(0).kill();
		this.nodes.server(1).kill();
		this.nodes.server(2).kill();

		long start = System.nanoTime();
		assertThatExceptionOfType(LockBackendException.class)
			.isThrownBy(() -> this.contender.tryAcquire(new LeaseRequest("three-down", "b", LEASE)))
			.withMessageContaining("2 of 5 nodes answered, 3 needed");
		assertThatExceptionOfType(LockBackendException.class).isThrownBy(() -> this.provider.extend(held, LEASE))
			.withMessageContaining("renewal");
		assertThatExceptionOfType(LockBackendException.class).isThrownBy(this.provider::checkHealth);
		// No hang: three calls, each bounded by the node timeout (generous margin for a loaded machine).
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
	}

	@Test
	void nodesRestartedEmptyDoNotLetTokensGoBack() {
		long before = cycle("restarted", 3);
		// Two nodes lose everything; the other three still carry the written-back counter.
		this.nodes.server(1).restart();
		this.nodes.server(4).restart();
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> this.provider.checkHealth());

		long after = cycle("restarted", 3);
		assertThat(after).isGreaterThan(before);
		// Then the other two restart empty as well: the majority now is the three that took the last
		// grants, which know the counter.
		this.nodes.server(0).restart();
		this.nodes.server(2).restart();
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> this.provider.checkHealth());
		assertThat(cycle("restarted", 1)).isGreaterThan(after);
	}

	@Test
	void theTokenWrittenBackToAMajorityOutlivesTheNodeThatIssuedIt() {
		// One node's counter far above every clock (as after its clock ran ahead): the grant takes it
		// and writes it back. Then that node restarts empty; only the write-back can keep the next
		// token above it, since no server clock is anywhere near.
		long ahead = System.currentTimeMillis() * 1000 + 1_000_000_000_000L;
		this.nodes.server(2).cli("SET", "redlock-fault:{ahead}:fencing", String.valueOf(ahead));
		long first = cycle("ahead", 1);
		assertThat(first).isEqualTo(ahead + 1);
		this.nodes.server(2).restart();
		assertThat(cycle("ahead", 1)).isGreaterThan(first);
	}

	/** Acquires and releases {@code times} times; asserts tokens increase and returns the last. */
	private long cycle(String lockId, int times) {
		List<Long> tokens = new ArrayList<>();
		for (int i = 0; i < times; i++) {
			String owner = "cycle-" + i;
			Lease lease = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
				.until(() -> this.provider.tryAcquire(new LeaseRequest(lockId, owner, LEASE)).orElse(null),
						(granted) -> granted != null);
			tokens.add(lease.fencingToken());
			this.provider.release(lease);
		}
		assertThat(tokens).isSorted().doesNotHaveDuplicates();
		return tokens.get(tokens.size() - 1);
	}

}
