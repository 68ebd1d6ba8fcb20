package dev.distlock.autoconfigure.scheduling;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.distlock.test.server.EtcdCluster;

/**
 * Leader election on the {@code etcd} provider (keys on each instance's session lease), each instance
 * with its own jetcd client of a real single-member etcd.
 */
class EtcdLeaderElectionTests extends LeaderElectionContractTests {

	private static EtcdCluster etcd;

	@BeforeAll
	static void startEtcd() {
		etcd = EtcdCluster.start(1);
	}

	@AfterAll
	static void stopEtcd() {
		if (etcd != null) {
			etcd.close();
		}
	}

	@Override
	protected Class<?>[] backendConfiguration() {
		return new Class<?>[] { TestBackends.DistlockOnly.class };
	}

	@Override
	protected String[] backendProperties() {
		return new String[] { "distlock.provider=etcd", "distlock.etcd.endpoints=" + etcd.endpoints(),
				"distlock.etcd.key-prefix=/" + this.unique + "/" };
	}

}
