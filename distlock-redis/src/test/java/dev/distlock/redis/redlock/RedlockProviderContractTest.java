package dev.distlock.redis.redlock;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.distlock.spi.LockProvider;
import dev.distlock.test.LockProviderContractTest;
import dev.distlock.test.server.RedisServerProcess;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Redlock provider meets the contract on five private {@code redis-server} masters; each
 * simulated instance has its own connections to all five.
 */
class RedlockProviderContractTest extends LockProviderContractTest {

	private static RedlockTestNodes nodes;

	@BeforeAll
	static void startNodes() {
		assumeTrue(RedisServerProcess.isOnPath(), "redis-server is not on the PATH");
		nodes = RedlockTestNodes.start(5);
	}

	@AfterAll
	static void stopNodes() {
		if (nodes != null) {
			nodes.close();
		}
	}

	@Override
	protected LockProvider createProvider(int instance) {
		return nodes.provider("redlock-tck:");
	}

	@Override
	protected LockProvider createUnreachableProvider() {
		// Loopback ports where nothing listens.
		return new RedlockProvider(RedlockConnections.connect(
				List.of("redis://127.0.0.1:1", "redis://127.0.0.1:2", "redis://127.0.0.1:3"), "redlock-tck:",
				RedlockTestNodes.NODE_TIMEOUT), RedlockTestNodes.NODE_TIMEOUT);
	}

}
