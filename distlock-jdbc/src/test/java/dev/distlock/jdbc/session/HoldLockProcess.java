package dev.distlock.jdbc.session;

import java.time.Duration;
import java.util.Optional;

import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;

/**
 * A holder process for crash tests: acquires one lock, prints {@code HELD <fencing token>} and sleeps
 * until it is killed. Arguments: provider kind ({@code postgres} or {@code mysql}), lock id.
 */
public final class HoldLockProcess {

	private HoldLockProcess() {
	}

	public static void main(String[] args) throws InterruptedException {
		String kind = args[0];
		String lockId = args[1];
		LockProvider provider = TestDatabases.provider(kind, "child-" + ProcessHandle.current().pid());
		Optional<Lease> lease = provider
			.tryAcquire(new LeaseRequest(lockId, "child-" + ProcessHandle.current().pid() + "#1", Duration.ofMinutes(5)));
		if (lease.isEmpty()) {
			System.out.println("BUSY");
			System.exit(2);
		}
		System.out.println("HELD " + lease.get().fencingToken());
		System.out.flush();
		Thread.sleep(Duration.ofMinutes(5).toMillis());
	}

}
