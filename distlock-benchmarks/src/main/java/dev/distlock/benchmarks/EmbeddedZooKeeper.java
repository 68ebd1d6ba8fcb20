package dev.distlock.benchmarks;

import org.apache.curator.test.TestingServer;

/**
 * One in-process ZooKeeper server (curator-test, real ZooKeeper code) shared by the ZooKeeper
 * subjects, started on first use unless {@code --zookeeper-connect} names an ensemble.
 */
final class EmbeddedZooKeeper {

	private static TestingServer server;

	private EmbeddedZooKeeper() {
	}

	static synchronized String connectString(String configured) {
		if (!configured.isEmpty()) {
			return configured;
		}
		if (server == null) {
			try {
				server = new TestingServer(true);
			}
			catch (Exception ex) {
				throw new IllegalStateException("Could not start an in-process ZooKeeper server", ex);
			}
			Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedZooKeeper::stop));
		}
		return server.getConnectString();
	}

	private static synchronized void stop() {
		try {
			server.close();
		}
		catch (Exception ex) {
			// The JVM is exiting: nothing to do with the failure.
		}
	}

}
