package dev.distlock.leader;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.distlock.LeadershipGrantedEvent;
import dev.distlock.LeadershipRevokedEvent;
import dev.distlock.LockBackendException;
import dev.distlock.Leadership;
import dev.distlock.memory.InMemoryLockProvider;
import dev.distlock.spi.ForwardingLockProvider;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A leader cut off from its backend (its renewals fail) while another candidate still reaches it:
 * the leader revokes itself locally before the backend's lease ends, so the other candidate is
 * granted only after that — never two leaders — and the cut-off one reports its backend trouble
 * and keeps campaigning.
 */
class LeaderRevocationTests {

	/** Long enough that the margin (a twentieth: 150 ms) dwarfs a sample's own delay on a loaded machine. */
	private static final Duration LEASE = Duration.ofSeconds(3);

	private final InMemoryLockProvider backend = new InMemoryLockProvider();

	private final AtomicBoolean partitioned = new AtomicBoolean();

	private final Map<String, Long> grantedAtNanos = new ConcurrentHashMap<>();

	private final Map<String, Long> revokedAtNanos = new ConcurrentHashMap<>();

	private final List<String> revokeReasons = new CopyOnWriteArrayList<>();

	private final LockLeaderElection cutOff = election("cut-off", new Partitionable(this.backend, this.partitioned));

	private final LockLeaderElection healthy = election("healthy", new Partitionable(this.backend, new AtomicBoolean()));

	@AfterEach
	void stop() {
		this.cutOff.stop();
		this.healthy.stop();
	}

	@Test
	void aLeaderThatCannotRenewIsRevokedLocallyBeforeAnyoneElseIsGranted() throws Exception {
		Leadership first = this.cutOff.join("jobs");
		assertThat(first.awaitLeadership(Duration.ofSeconds(10))).isTrue();
		Leadership second = this.healthy.join("jobs");
		assertThat(second.awaitLeadership(Duration.ofMillis(300))).as("the second candidate while the first leads")
			.isFalse();

		this.partitioned.set(true);
		long partitionedAt = System.nanoTime();
		boolean twoLeaders = false;
		long firstLastSeenLeading = partitionedAt;
		while (!second.isLeader() && System.nanoTime() - partitionedAt < Duration.ofSeconds(20).toNanos()) {
			boolean firstLeads = first.isLeader();
			if (firstLeads) {
				firstLastSeenLeading = System.nanoTime();
			}
			twoLeaders |= firstLeads && second.isLeader();
			Thread.sleep(2);
		}
		assertThat(second.isLeader()).as("the healthy candidate leads").isTrue();
		assertThat(twoLeaders).as("both led at once").isFalse();
		assertThat(first.isLeader()).as("the cut-off leader leads").isFalse();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.grantedAtNanos.containsKey("healthy")
				&& this.revokedAtNanos.containsKey("cut-off"));
		// isLeader() (and so @LeaderOnly) turns false at the local deadline itself; the revoked event
		// follows on the scheduler, possibly a little later on a loaded machine.
		assertThat(firstLastSeenLeading).as("last time the cut-off leader was seen leading, before the other's grant")
			.isLessThan(this.grantedAtNanos.get("healthy"));
		assertThat(this.revokeReasons).anySatisfy((reason) -> assertThat(reason).contains("no renewal confirmed"));
		assertThat(second.term().getAsLong()).isGreaterThan(0);
		assertThat(this.cutOff.unreachableGroups()).as("groups the cut-off instance cannot reach")
			.containsKey("jobs");

		this.partitioned.set(false);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.cutOff.unreachableGroups().isEmpty());
		assertThat(first.isLeader()).as("the cut-off candidate, reconnected, while the other leads").isFalse();
	}

	private LockLeaderElection election(String instance, LockProvider provider) {
		return new LockLeaderElection(provider, instance, LEASE, (event) -> {
			if (event instanceof LeadershipGrantedEvent) {
				this.grantedAtNanos.putIfAbsent(instance, System.nanoTime());
			}
			if (event instanceof LeadershipRevokedEvent revoked) {
				this.revokedAtNanos.putIfAbsent(instance, System.nanoTime());
				this.revokeReasons.add(revoked.reason());
			}
		});
	}

	/** The shared backend as seen over a link that can be cut: every call fails while it is. */
	private static final class Partitionable extends ForwardingLockProvider {

		private final AtomicBoolean cut;

		Partitionable(LockProvider backend, AtomicBoolean cut) {
			super(backend);
			this.cut = cut;
		}

		@Override
		public Optional<Lease> tryAcquire(LeaseRequest request) {
			check();
			return super.tryAcquire(request);
		}

		@Override
		public boolean extend(Lease lease, Duration leaseTime) {
			check();
			return super.extend(lease, leaseTime);
		}

		@Override
		public void release(Lease lease) {
			check();
			super.release(lease);
		}

		private void check() {
			if (this.cut.get()) {
				throw new LockBackendException("connection refused (test partition)");
			}
		}

		@Override
		public void close() {
		}

	}

}
