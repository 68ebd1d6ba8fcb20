package dev.distlock.autoconfigure.coordination;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import dev.distlock.DistributedLocked;
import dev.distlock.LockContext;
import dev.distlock.LockHandle;

/**
 * One instance of an application that calls a partner API allowing three concurrent calls
 * ({@code permits = 3}) and transfers money between accounts ({@code key = "{#from, #to}"}). Lock
 * names come from {@code test.partner-lock} and {@code test.accounts-lock}, unique per test run.
 */
@Configuration(proxyBeanMethods = false)
class CoordinationApplication {

	@Bean
	PartnerApi partnerApi(PermitRecorder recorder) {
		return new PartnerApi(recorder);
	}

	@Bean
	Transfers transfers(Bank bank) {
		return new Transfers(bank);
	}

	/** The rate-limited partner API: at most three calls at once across the cluster. */
	public static class PartnerApi {

		private final PermitRecorder recorder;

		@Autowired
		@Lazy
		private PartnerApi self;

		PartnerApi(PermitRecorder recorder) {
			this.recorder = recorder;
		}

		@DistributedLocked(name = "${test.partner-lock}", permits = 3, waitTime = "60s")
		public void call() throws InterruptedException {
			LockHandle permit = LockContext.current().orElseThrow();
			this.recorder.entered(permit.fencingToken());
			try {
				this.self.callAgain(permit.fencingToken());
				Thread.sleep(15);
			}
			finally {
				this.recorder.left();
			}
		}

		/** Re-entered while holding a permit: no wait time, so a second permit would often be busy. */
		@DistributedLocked(name = "${test.partner-lock}", permits = 3)
		public void callAgain(long outerToken) {
			List<LockHandle> held = LockContext.all();
			if (held.size() != 2 || held.get(1).fencingToken() != outerToken) {
				this.recorder.violation("re-entry took a permit of its own: " + held + " inside token " + outerToken);
			}
		}

	}

	/** Transfers between accounts, each locking both accounts. */
	public static class Transfers {

		private final Bank bank;

		Transfers(Bank bank) {
			this.bank = bank;
		}

		@DistributedLocked(name = "${test.accounts-lock}", key = "{#from, #to}", waitTime = "60s")
		public List<String> transfer(long from, long to, long amount) throws SQLException {
			List<String> locks = LockContext.all().stream().map(LockHandle::lockId).toList();
			this.bank.transfer(from, to, amount);
			return locks;
		}

		/** A transfer that gives up after a short wait. */
		@DistributedLocked(name = "${test.accounts-lock}", key = "{#from, #to}", waitTime = "200ms")
		public Optional<String> tryTransfer(long from, long to, long amount) throws SQLException {
			this.bank.transfer(from, to, amount);
			return Optional.of("done");
		}

	}

}
