package dev.distlock.autoconfigure.scheduling;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

import dev.distlock.autoconfigure.DistlockAutoConfiguration;
import dev.distlock.test.server.EtcdCluster;

/**
 * Once per fire time on the {@code etcd} provider (keys on a session lease, session-scoped: the end
 * of a minimum hold is a release by the engine, never a backend TTL, which etcd keeps at 2 s or
 * more), each instance with its own jetcd client of a real single-member etcd.
 */
class EtcdOncePerFireTimeTests extends OncePerFireTimeContractTests {

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
		return new Class<?>[] { Distlock.class };
	}

	@Override
	protected String[] backendProperties() {
		return new String[] { "distlock.provider=etcd", "distlock.etcd.endpoints=" + etcd.endpoints(),
				"distlock.etcd.key-prefix=/" + this.unique + "/" };
	}

	@ImportAutoConfiguration(DistlockAutoConfiguration.class)
	static class Distlock {

	}

}
