package dev.distlock.redis.fencing;

import java.time.Duration;
import java.util.List;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.redis.redlock.RedlockConnections;
import dev.distlock.redis.redlock.RedlockProvider;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.test.FencedHolderProcess;

/**
 * The first holder of {@link RedlockFencedResourceTest}, in a JVM of its own so the test can
 * SIGSTOP it: locks through Redlock on the given nodes, writes to the ledger on the shared Redis.
 * Arguments: comma-separated node URLs, key prefix, lock id, resource, writer, ledger Redis URL.
 */
public final class RedlockFencedHolderProcess {

	private RedlockFencedHolderProcess() {
	}

	public static void main(String[] args) {
		RedlockProvider redlock = new RedlockProvider(
				RedlockConnections.connect(List.of(args[0].split(",")), args[1], RedlockProvider.DEFAULT_NODE_TIMEOUT),
				RedlockProvider.DEFAULT_NODE_TIMEOUT);
		// A cold JVM's first round (class loading, scripts sent to five nodes) can take longer than the
		// 1 s lease's validity window: warm up on another lock so the real grant is an ordinary one.
		for (int attempt = 0; attempt < 5; attempt++) {
			try {
				redlock.tryAcquire(new LeaseRequest(args[2] + "-warm-up", "warm-up", Duration.ofSeconds(30)))
					.ifPresent(redlock::release);
				break;
			}
			catch (RuntimeException ex) {
				// Still cold: try again.
			}
		}
		LockEngine engine = new LockEngine(redlock, new LeaseWatchdog(), EngineSettings.defaults("first-holder"),
				LockEngineObserver.NOOP);
		LettuceConnectionFactory ledgerConnections = RedisFencedLedger.connect(args[5]);
		RedisFencedLedger ledger = new RedisFencedLedger(ledgerConnections,
				new RedisFencedResource(ledgerConnections, args[1]), args[1]);
		FencedHolderProcess.run(engine, args[2], () -> ledger.write(args[3], args[4]));
		System.exit(0);
	}

}
