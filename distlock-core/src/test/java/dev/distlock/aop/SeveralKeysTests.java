package dev.distlock.aop;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

import dev.distlock.DistributedLocked;
import dev.distlock.LockContext;
import dev.distlock.LockHandle;
import dev.distlock.LockKeyException;
import dev.distlock.LockNotAcquiredException;
import dev.distlock.LockRequest;
import dev.distlock.engine.LockEngine;
import dev.distlock.memory.InMemoryLockProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A key that evaluates to a collection or an array locks each distinct element, in ascending
 * lock-id order whatever the argument order, all or nothing; an empty collection or a null element
 * fails the call before the method runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeveralKeysTests {

	final InMemoryLockProvider provider = new InMemoryLockProvider();

	final ConfigurableApplicationContext context = TestApplication.on(this.provider).start(Accounts.class);

	final Accounts accounts = this.context.getBean(Accounts.class);

	final LockEngine engine = this.context.getBean(LockEngine.class);

	@AfterAll
	void close() {
		this.context.close();
	}

	@Test
	void eachElementIsLockedInAscendingStringOrderWhateverTheArgumentOrder() {
		assertThat(this.accounts.transfer(9, 10)).containsExactly("account:10", "account:9");
		assertThat(this.accounts.transfer(10, 9)).containsExactly("account:10", "account:9");
		assertThat(this.engine.heldLocks()).isEmpty();
	}

	@Test
	void anArrayKeyLocksEachDistinctElementOnce() {
		assertThat(this.accounts.all(new String[] { "b", "a", "b" })).containsExactly("batch:a", "batch:b");
	}

	@Test
	void anEmptyCollectionFailsTheCallAndTheMethodDoesNotRun() {
		int before = this.accounts.runs();
		assertThatExceptionOfType(LockKeyException.class).isThrownBy(() -> this.accounts.all(new String[0]))
			.withMessageContaining("empty")
			.withMessageContaining("Accounts.all");
		assertThat(this.accounts.runs()).isEqualTo(before);
	}

	@Test
	void aNullElementFailsTheCallAndTheMethodDoesNotRun() {
		int before = this.accounts.runs();
		assertThatExceptionOfType(LockKeyException.class)
			.isThrownBy(() -> this.accounts.all(new String[] { "a", null }))
			.withMessageContaining("element 1 is null");
		assertThat(this.accounts.runs()).isEqualTo(before);
	}

	@Test
	void whenOneElementIsBusyNothingRunsAndNothingStaysHeld() throws Exception {
		try (LockHandle nine = this.engine.acquire(LockRequest.of("account:9"))) {
			CompletableFuture.runAsync(() -> {
				int before = this.accounts.runs();
				assertThatExceptionOfType(LockNotAcquiredException.class).isThrownBy(() -> this.accounts.transfer(9, 10))
					.withMessageContaining("account:9");
				assertThat(this.accounts.runs()).isEqualTo(before);
			}).get(30, TimeUnit.SECONDS);
			assertThat(this.engine.heldLocks()).extracting((held) -> held.lock()).containsExactly("account:9");
		}
	}

	public static class Accounts {

		private final AtomicInteger runs = new AtomicInteger();

		public int runs() {
			return this.runs.get();
		}

		@DistributedLocked(name = "account", key = "{#from, #to}")
		public List<String> transfer(long from, long to) {
			this.runs.incrementAndGet();
			return LockContext.all().stream().map(LockHandle::lockId).toList();
		}

		@DistributedLocked(name = "batch", key = "#ids")
		public List<String> all(String[] ids) {
			this.runs.incrementAndGet();
			return LockContext.all().stream().map(LockHandle::lockId).toList();
		}

	}

}
