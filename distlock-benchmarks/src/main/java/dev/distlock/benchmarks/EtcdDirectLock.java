package dev.distlock.benchmarks;

import java.time.Duration;

import dev.distlock.etcd.EtcdLockProvider;

/**
 * The etcd provider's SPI called directly (its own jetcd client per instance): one transaction to
 * acquire (put if the create revision is 0, on the session lease), one to release.
 */
final class EtcdDirectLock extends SpiDirectLock {

	EtcdDirectLock(String endpoints) {
		super(EtcdLockProvider.connect(endpoints, "/distlock-bench/", Duration.ofSeconds(10), Duration.ofSeconds(5)),
				"etcd");
	}

}
