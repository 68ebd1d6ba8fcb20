package dev.distlock.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.ReleaseSubscription;
import dev.distlock.test.server.EtcdCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What renewals and waiters cost on etcd, counted in requests on the wire: renewing any number of
 * held locks is one keep-alive of the session lease and one read of its keys, and any number of
 * waiters share one watch.
 */
class EtcdRenewalRoundTripsTest {

	/** Long enough that the background keep-alive (every TTL / 3) does not fire while a test counts. */
	private static final Duration SESSION_TTL = Duration.ofSeconds(120);

	private static final String TIME_TO_LIVE = "etcdserverpb.Lease/LeaseTimeToLive";

	private static final String TXN = "etcdserverpb.KV/Txn";

	private static EtcdCluster cluster;

	@BeforeAll
	static void startEtcd() {
		cluster = EtcdCluster.start(1);
	}

	@AfterAll
	static void stopEtcd() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void renewingAThousandLocksTakesAsManyRoundTripsAsRenewingTen() {
		CountingInterceptor requests = new CountingInterceptor();
		try (Client client = Client.builder().endpoints(cluster.endpoints().split(",")).interceptor(requests).build();
				EtcdLockProvider provider = new EtcdLockProvider(client, "/distlock-renewal/", SESSION_TTL,
						Duration.ofSeconds(10))) {
			List<Lease> leases = new ArrayList<>();
			for (int i = 0; i < 1000; i++) {
				leases.add(provider.tryAcquire(new LeaseRequest("renew-" + i, "renewer#" + i, Duration.ofSeconds(30)))
					.orElseThrow());
			}

			long beforeTen = requests.total();
			Set<Lease> tenHeld = provider.extendAll(leases.subList(0, 10));
			long forTen = requests.total() - beforeTen;

			Map<String, Long> beforeThousand = requests.perMethod();
			long before = requests.total();
			Set<Lease> allHeld = provider.extendAll(leases);
			long forThousand = requests.total() - before;

			assertThat(tenHeld).hasSize(10);
			assertThat(allHeld).hasSize(1000);
			Map<String, Long> after = requests.perMethod();
			assertThat(forThousand).as("requests to renew 1,000 locks (before: %s, after: %s)", beforeThousand, after)
				.isEqualTo(forTen)
				// one keep-alive exchange (jetcd's keepAliveOnce sends its request on a stream of its own,
				// counted as it goes out) and one LeaseTimeToLive read of the attached keys
				.isLessThanOrEqualTo(3);
			assertThat(after.get(TIME_TO_LIVE) - beforeThousand.get(TIME_TO_LIVE)).isEqualTo(1);
			assertThat(after.get(TXN)).as("no per-lock request").isEqualTo(beforeThousand.get(TXN));
		}
	}

	@Test
	void waitersOnManyLocksShareOneWatch() throws InterruptedException {
		try (EtcdLockProvider holder = EtcdLockProvider.connect(cluster.endpoints(), "/distlock-watch/", SESSION_TTL,
				Duration.ofSeconds(10));
				EtcdLockProvider waiter = EtcdLockProvider.connect(cluster.endpoints(), "/distlock-watch/",
						SESSION_TTL, Duration.ofSeconds(10))) {
			List<Lease> leases = new ArrayList<>();
			List<CountDownLatch> woken = new ArrayList<>();
			List<ReleaseSubscription> subscriptions = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				leases.add(holder.tryAcquire(new LeaseRequest("watched-" + i, "holder#" + i, Duration.ofSeconds(30)))
					.orElseThrow());
				CountDownLatch latch = new CountDownLatch(1);
				woken.add(latch);
				subscriptions.add(waiter.onRelease("watched-" + i, latch::countDown));
			}
			assertThat(waiter.openWatches()).isEqualTo(1);

			holder.release(leases.get(7));

			assertThat(woken.get(7).await(30, TimeUnit.SECONDS)).as("the waiter on the released lock").isTrue();
			assertThat(woken.get(8).getCount()).as("a waiter on a lock still held").isEqualTo(1);
			subscriptions.forEach(ReleaseSubscription::close);
			assertThat(waiter.openWatches()).as("closed with the last waiter").isZero();
		}
	}

}
