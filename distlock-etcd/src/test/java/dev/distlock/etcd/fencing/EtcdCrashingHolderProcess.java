package dev.distlock.etcd.fencing;

import java.time.Duration;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.etcd.EtcdLockProvider;

/**
 * The holder of {@link EtcdHolderCrashTest}, in a JVM of its own so the test can SIGKILL it: takes
 * the lock with a long lease (only the session lease can end it), prints {@code HELD <token>} and
 * waits to be killed. Arguments: etcd endpoints, lock id.
 */
public final class EtcdCrashingHolderProcess {

	private EtcdCrashingHolderProcess() {
	}

	public static void main(String[] args) throws InterruptedException {
		EtcdLockProvider provider = EtcdLockProvider.connect(args[0], EtcdFencedResourceTest.KEY_PREFIX,
				EtcdFencedResourceTest.SESSION_TTL, EtcdLockProvider.DEFAULT_REQUEST_TIMEOUT);
		LockEngine engine = new LockEngine(provider, new LeaseWatchdog(), EngineSettings.defaults("crashing-holder"),
				LockEngineObserver.NOOP);
		LockHandle handle = engine.acquire(LockRequest.of(args[1]).leaseTime(Duration.ofMinutes(5)));
		System.out.println("HELD " + handle.fencingToken());
		System.out.flush();
		Thread.sleep(Duration.ofMinutes(5).toMillis());
	}

}
