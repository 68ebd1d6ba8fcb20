package dev.distlock.redis.fencing;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.redis.RedisLockProvider;
import dev.distlock.test.FencedHolderProcess;

/**
 * A lock holder in a child JVM ({@link FencedHolderProcess}) on the redis provider, writing to the
 * {@link RedisFencedLedger} through a {@link RedisFencedResource}. Arguments: Redis URL, key
 * prefix, lock id, resource, writer.
 */
public final class RedisFencedHolderProcess {

	private RedisFencedHolderProcess() {
	}

	public static void main(String[] args) {
		LettuceConnectionFactory connections = RedisFencedLedger.connect(args[0]);
		LockEngine engine = new LockEngine(new RedisLockProvider(connections, args[1]), new LeaseWatchdog(),
				EngineSettings.defaults("first-holder"), LockEngineObserver.NOOP);
		RedisFencedLedger ledger = new RedisFencedLedger(connections, new RedisFencedResource(connections, args[1]),
				args[1]);
		FencedHolderProcess.run(engine, args[2], () -> ledger.write(args[3], args[4]));
		System.exit(0);
	}

}
