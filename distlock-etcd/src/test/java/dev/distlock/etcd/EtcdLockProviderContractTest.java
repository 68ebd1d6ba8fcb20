package dev.distlock.etcd;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.distlock.spi.ForwardingLockProvider;
import dev.distlock.spi.LockProvider;
import dev.distlock.test.LockProviderContractTest;
import dev.distlock.test.server.EtcdCluster;

/**
 * The etcd provider meets the contract on a real single-member etcd of the test's own; every
 * simulated instance has its own jetcd client and so its own session lease. The TCK ends a session
 * the way etcd would expire it: another client revokes the instance's session lease.
 */
class EtcdLockProviderContractTest extends LockProviderContractTest {

	private static EtcdCluster cluster;

	private static Client admin;

	private final Map<LockProvider, EtcdLockProvider> providers = new ConcurrentHashMap<>();

	@BeforeAll
	static void startEtcd() {
		cluster = EtcdCluster.start(1);
		admin = Client.builder().endpoints(cluster.endpoints().split(",")).build();
	}

	@AfterAll
	static void stopEtcd() {
		if (admin != null) {
			admin.close();
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	@Override
	protected LockProvider createProvider(int instance) {
		EtcdLockProvider etcd = EtcdLockProvider.connect(cluster.endpoints(), "/distlock-tck/",
				Duration.ofSeconds(10), Duration.ofSeconds(5));
		LockProvider provider = new ForwardingLockProvider(etcd) {
			@Override
			public void close() {
				super.close();
				EtcdLockProviderContractTest.this.providers.remove(this);
			}
		};
		this.providers.put(provider, etcd);
		return provider;
	}

	/** Revoking the session lease from another client deletes every key attached to it at once. */
	@Override
	protected void killSessions(LockProvider provider) {
		long lease = this.providers.get(provider).sessionLeaseId();
		if (lease == 0) {
			return;
		}
		try {
			admin.getLeaseClient().revoke(lease).get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not revoke the etcd session lease of " + provider, ex);
		}
	}

	@Override
	protected LockProvider createUnreachableProvider() {
		return EtcdLockProvider.connect("http://127.0.0.1:1", "/distlock-tck/", Duration.ofSeconds(10),
				Duration.ofSeconds(1));
	}

}
