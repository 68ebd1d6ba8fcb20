package dev.distlock.benchmarks;

import java.util.List;

import dev.distlock.redis.redlock.RedlockConnections;
import dev.distlock.redis.redlock.RedlockProvider;

/**
 * The redlock provider through the SPI, no engine: the same loop as {@link ProviderDirectLock}, so
 * the two rows compare one node with N nodes (a parallel round, plus the token write-back round).
 */
final class RedlockDirectLock extends SpiDirectLock {

	RedlockDirectLock(List<String> nodeUrls) {
		super(new RedlockProvider(
				RedlockConnections.connect(nodeUrls, "distlock-bench:", RedlockProvider.DEFAULT_NODE_TIMEOUT),
				RedlockProvider.DEFAULT_NODE_TIMEOUT), "redlock");
	}

}
