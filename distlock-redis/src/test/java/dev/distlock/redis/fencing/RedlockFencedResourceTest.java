package dev.distlock.redis.fencing;

import java.util.List;

import dev.distlock.FencedResource;
import dev.distlock.redis.redlock.RedlockTestNodes;
import dev.distlock.spi.ForwardingLockProvider;
import dev.distlock.spi.LockProvider;
import dev.distlock.test.server.RedisServerProcess;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@link FencedResource} contract with locks from Redlock on five private {@code redis-server}
 * masters, the fenced resource on the shared Redis: above all, a holder SIGSTOPped past its lease
 * (the pause that breaks Redlock's timing assumption) is refused once the next holder wrote.
 */
class RedlockFencedResourceTest extends RedisLedgerFencedResourceTests {

	private RedlockTestNodes nodes;

	@Override
	protected LockProvider createLockProvider() {
		assumeTrue(RedisServerProcess.isOnPath(), "redis-server is not on the PATH");
		this.nodes = RedlockTestNodes.start(5);
		return new ForwardingLockProvider(this.nodes.provider(this.keyPrefix)) {
			@Override
			public void close() {
				super.close();
				RedlockFencedResourceTest.this.nodes.close();
			}
		};
	}

	@Override
	protected List<String> holderProcess(String lockId, String resource, String writer) {
		return List.of(RedlockFencedHolderProcess.class.getName(), String.join(",", this.nodes.urls()), this.keyPrefix,
				lockId, resource, writer, URL);
	}

}
