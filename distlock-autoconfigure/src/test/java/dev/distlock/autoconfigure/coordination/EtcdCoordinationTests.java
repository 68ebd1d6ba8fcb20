package dev.distlock.autoconfigure.coordination;

import dev.distlock.autoconfigure.scheduling.TestBackends;
import dev.distlock.test.server.EtcdCluster;

/**
 * Permits and several keys on the {@code etcd} provider (keys on each instance's session lease), each
 * instance with its own jetcd client of a real single-member etcd.
 */
class EtcdCoordinationTests extends CoordinationContractTests {

	private EtcdCluster etcd;

	@Override
	protected void startBackend() {
		this.etcd = EtcdCluster.start(1);
	}

	@Override
	protected void stopBackend() {
		if (this.etcd != null) {
			this.etcd.close();
		}
	}

	@Override
	protected Class<?>[] backendConfiguration() {
		return new Class<?>[] { TestBackends.DistlockOnly.class };
	}

	@Override
	protected String[] backendProperties() {
		return new String[] { "distlock.provider=etcd", "distlock.etcd.endpoints=" + this.etcd.endpoints(),
				"distlock.etcd.key-prefix=/" + this.unique + "/" };
	}

}
