package dev.distlock.aop;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.distlock.DistributedLocked;
import dev.distlock.LockContext;
import dev.distlock.LockHandle;
import dev.distlock.engine.FaultInjectingLockProvider;
import dev.distlock.spi.BackendLock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Code inside a locked method reads its lock through {@link LockContext}; a locked method that calls
 * another method guarded by the same lock re-enters it.
 */
class LockContextInLockedMethodTests {

	final FaultInjectingLockProvider provider = new FaultInjectingLockProvider();

	final ConfigurableApplicationContext context = TestApplication.on(this.provider).start(Billing.class,
			Ledger.class);

	final Billing billing = this.context.getBean(Billing.class);

	@AfterEach
	void close() {
		this.context.close();
	}

	@Test
	void lockContextInsideTheMethodGivesTheGrantsFencingToken() {
		Observation seen = this.billing.charge(7);
		assertThat(seen.lockId()).isEqualTo("billing:7");
		assertThat(seen.backendLocks()).singleElement().satisfies((lock) -> {
			assertThat(lock.lockId()).isEqualTo("billing:7");
			assertThat(lock.fencingToken()).isEqualTo(seen.fencingToken());
		});
		assertThat(LockContext.current()).as("gone after the method returned").isEmpty();
		assertThat(this.provider.backend().listLocks()).as("released").isEmpty();
	}

	@Test
	void eachCallIsANewGrantWithALargerToken() {
		long first = this.billing.charge(7).fencingToken();
		assertThat(this.billing.charge(7).fencingToken()).isGreaterThan(first);
	}

	@Test
	void aLockedMethodCallingAnotherMethodWithTheSameLockReentersWithTheSameToken() {
		List<Observation> seen = this.billing.chargeAndRecord(7);
		assertThat(seen).hasSize(2);
		assertThat(seen.get(1).lockId()).isEqualTo(seen.get(0).lockId());
		assertThat(seen.get(1).fencingToken()).isEqualTo(seen.get(0).fencingToken());
		assertThat(this.provider.tryAcquireCalls()).as("the inner call did not go to the backend").isEqualTo(1);
	}

	@Test
	void aLockedMethodCallingAMethodWithAnotherLockSeesTheInnerLockInside() {
		List<Observation> seen = this.billing.chargeAndAudit(7);
		assertThat(seen.get(0).lockId()).isEqualTo("billing:7");
		assertThat(seen.get(1).lockId()).isEqualTo("audit");
		assertThat(seen.get(1).backendLocks()).extracting(BackendLock::lockId)
			.containsExactlyInAnyOrder("billing:7", "audit");
		assertThat(seen.get(2).lockId()).as("back in the outer method").isEqualTo("billing:7");
	}

	record Observation(String lockId, long fencingToken, List<BackendLock> backendLocks) {

		static Observation now(FaultInjectingLockProvider provider) {
			LockHandle handle = LockContext.current().orElseThrow();
			return new Observation(handle.lockId(), handle.fencingToken(),
					provider.backend().listLocks());
		}

	}

	public static class Billing {

		private final Ledger ledger;

		private final FaultInjectingLockProvider provider;

		public Billing(Ledger ledger, FaultInjectingLockProvider provider) {
			this.ledger = ledger;
			this.provider = provider;
		}

		@DistributedLocked(name = "billing", key = "#account")
		public Observation charge(long account) {
			return Observation.now(this.provider);
		}

		@DistributedLocked(name = "billing", key = "#account")
		public List<Observation> chargeAndRecord(long account) {
			Observation outer = Observation.now(this.provider);
			return List.of(outer, this.ledger.record(account));
		}

		@DistributedLocked(name = "billing", key = "#account")
		public List<Observation> chargeAndAudit(long account) {
			Observation outer = Observation.now(this.provider);
			Observation inner = this.ledger.audit();
			return List.of(outer, inner, Observation.now(this.provider));
		}

	}

	public static class Ledger {

		private final FaultInjectingLockProvider provider;

		public Ledger(FaultInjectingLockProvider provider) {
			this.provider = provider;
		}

		@DistributedLocked(name = "billing", key = "#account")
		public Observation record(long account) {
			return Observation.now(this.provider);
		}

		@DistributedLocked(name = "audit")
		public Observation audit() {
			return Observation.now(this.provider);
		}

	}

}
