package dev.distlock.benchmarks;

import org.apache.curator.test.TestingServer;

import dev.distlock.test.server.EtcdCluster;

/**
 * Servers the benchmark starts for itself when no address is configured: an in-process ZooKeeper
 * (curator-test, real ZooKeeper code) and a private single-member etcd (the tests' launcher), each
 * started on first use, shared by its subjects and stopped when the JVM exits.
 */
final class LocalServers {

	private static TestingServer zooKeeper;

	private static EtcdCluster etcd;

	private LocalServers() {
	}

	/** The configured ensemble, or the in-process server's connect string. */
	static synchronized String zooKeeper(String configured) {
		if (!configured.isEmpty()) {
			return configured;
		}
		if (zooKeeper == null) {
			try {
				zooKeeper = new TestingServer(true);
			}
			catch (Exception ex) {
				throw new IllegalStateException("Could not start an in-process ZooKeeper server", ex);
			}
			TestingServer started = zooKeeper;
			stopAtExit(() -> {
				try {
					started.close();
				}
				catch (Exception ex) {
					// The JVM is exiting: nothing to do with the failure.
				}
			});
		}
		return zooKeeper.getConnectString();
	}

	/** The configured endpoints, or those of a private etcd member. */
	static synchronized String etcd(String configured) {
		if (!configured.isEmpty()) {
			return configured;
		}
		if (etcd == null) {
			etcd = EtcdCluster.start(1);
			stopAtExit(etcd::close);
		}
		return etcd.endpoints();
	}

	private static void stopAtExit(Runnable stop) {
		Runtime.getRuntime().addShutdownHook(new Thread(stop));
	}

}
