package dev.distlock.benchmarks;

import dev.distlock.zookeeper.ZooKeeperLockProvider;

/**
 * The ZooKeeper provider's SPI called directly (its own Curator client per instance): an ephemeral
 * node created to acquire, deleted to release. A waiter retries at once, like the floor.
 */
final class ZooKeeperDirectLock extends SpiDirectLock {

	ZooKeeperDirectLock(String connectString) {
		super(ZooKeeperLockProvider.connect(connectString), "zookeeper");
	}

}
