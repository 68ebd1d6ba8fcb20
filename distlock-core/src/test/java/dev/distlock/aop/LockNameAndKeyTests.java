package dev.distlock.aop;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

import dev.distlock.DistributedLocked;
import dev.distlock.LockContext;
import dev.distlock.LockHandle;
import dev.distlock.LockKeyException;
import dev.distlock.LockNotAcquiredException;
import dev.distlock.memory.InMemoryLockProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The lock id of a {@code @DistributedLocked} call: the name (default: the user class's
 * {@code getName()} + {@code .} + method) and, with a key, {@code ":"} + the key's value.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockNameAndKeyTests {

	private static final String ORDERS = "dev.distlock.aop.LockNameAndKeyTests$Orders";

	final InMemoryLockProvider provider = new InMemoryLockProvider();

	final ConfigurableApplicationContext context = TestApplication.on(this.provider)
		.property("orders.lock-name", "orders-from-property")
		.start(Orders.class, Keys.class);

	final Orders orders = this.context.getBean(Orders.class);

	@AfterAll
	void close() {
		this.context.close();
	}

	@Test
	void theDefaultNameIsTheUserClassNameWithDollarForNestedClassesDotMethod() {
		assertThat(this.orders.getClass().getName()).as("called through a class proxy").contains("$$");
		assertThat(this.orders.defaultName()).isEqualTo(ORDERS + ".defaultName");
	}

	@Test
	void aKeyByParameterNameIsAppendedAfterAColon() {
		assertThat(this.orders.byParameterName(42)).isEqualTo(ORDERS + ".byParameterName:42");
	}

	@Test
	void aKeyByPositionIsAppendedAfterAColon() {
		assertThat(this.orders.byPosition("A-7")).isEqualTo(ORDERS + ".byPosition:A-7");
	}

	@Test
	void aKeyCanUseTheRootObject() {
		assertThat(this.orders.byRoot()).isEqualTo(ORDERS + ".byRoot:byRoot");
	}

	@Test
	void aKeyCanCallABean() {
		assertThat(this.orders.byBean()).isEqualTo(ORDERS + ".byBean:from-bean");
	}

	@Test
	void anExplicitNameAndAPropertyPathKeyMakeTheLockId() {
		assertThat(this.orders.named(new Order("o-1"))).isEqualTo("orders:o-1");
	}

	@Test
	void aNameCanComeFromAPlaceholder() {
		assertThat(this.orders.namedByPlaceholder()).isEqualTo("orders-from-property");
	}

	@Test
	void aKeyValueBecomesTextWithStringValueOf() {
		// A collection or an array locks each element (SeveralKeysTests); any other value is text.
		assertThat(this.orders.byPosition(Map.of("a", "b"))).isEqualTo(ORDERS + ".byPosition:{a=b}");
	}

	@Test
	void aNullKeyFailsTheCallWithLockKeyExceptionAndTheMethodDoesNotRun() {
		assertThatExceptionOfType(LockKeyException.class).isThrownBy(() -> this.orders.nullable(null))
			.withMessageContaining("#code")
			.withMessageContaining(ORDERS + ".nullable");
		assertThat(this.orders.runs()).isZero();
	}

	@Test
	void aBlankKeyFailsTheCallWithLockKeyExceptionAndTheMethodDoesNotRun() {
		assertThatExceptionOfType(LockKeyException.class).isThrownBy(() -> this.orders.nullable("  "))
			.withMessageContaining("#code")
			.withMessageContaining(ORDERS + ".nullable")
			.withMessageContaining("blank");
		assertThat(this.orders.runs()).isZero();
	}

	@Test
	void aKeyWhoseToStringThrowsFailsTheCallNamingTheMethodAndTheMethodDoesNotRun() {
		assertThatExceptionOfType(LockKeyException.class)
			.isThrownBy(() -> this.orders.anyKey(new Unprintable(new IllegalStateException("no text for you"))))
			.withMessageContaining("#code")
			.withMessageContaining(ORDERS + ".anyKey")
			.withMessageContaining("no text for you")
			.withCauseInstanceOf(IllegalStateException.class);
		assertThat(this.orders.runs()).isZero();
	}

	@Test
	void aKeyWhoseToStringReturnsNullFailsTheCallNamingTheMethodAndTheMethodDoesNotRun() {
		assertThatExceptionOfType(LockKeyException.class).isThrownBy(() -> this.orders.anyKey(new Unprintable(null)))
			.withMessageContaining("#code")
			.withMessageContaining(ORDERS + ".anyKey");
		assertThat(this.orders.runs()).isZero();
	}

	@Test
	void aCollectionKeyWithAnElementWhoseToStringThrowsFailsTheCallAndNoElementIsLocked() {
		assertThatExceptionOfType(LockKeyException.class)
			.isThrownBy(() -> this.orders
				.anyKey(List.of("first", new Unprintable(new IllegalStateException("no text for you")))))
			.withMessageContaining("#code")
			.withMessageContaining(ORDERS + ".anyKey");
		assertThat(this.orders.runs()).isZero();
		assertThat(this.provider.listLocks()).isEmpty();
	}

	@Test
	void aKeyThatCannotBeEvaluatedFailsTheCallWithLockKeyExceptionAndTheMethodDoesNotRun() {
		assertThatExceptionOfType(LockKeyException.class).isThrownBy(() -> this.orders.missingProperty(new Order("o-1")))
			.withMessageContaining("#order.missing");
		assertThat(this.orders.runs()).isZero();
	}

	@Test
	void callsWithDifferentKeysTakeDifferentLocksAndCallsWithTheSameKeyExcludeEachOther() throws Exception {
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch leave = new CountDownLatch(1);
		CompletableFuture<Void> holding = CompletableFuture.runAsync(() -> this.orders.blocking(1, entered, leave));
		assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
		try {
			CompletableFuture<Void> sameKey = CompletableFuture
				.runAsync(() -> this.orders.blocking(1, new CountDownLatch(1), new CountDownLatch(0)));
			assertThatExceptionOfType(Exception.class).isThrownBy(() -> sameKey.get(10, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(LockNotAcquiredException.class);
			CountDownLatch otherEntered = new CountDownLatch(1);
			CompletableFuture.runAsync(() -> this.orders.blocking(2, otherEntered, new CountDownLatch(0)))
				.get(10, TimeUnit.SECONDS);
			assertThat(otherEntered.getCount()).isZero();
		}
		finally {
			leave.countDown();
			holding.get(10, TimeUnit.SECONDS);
		}
	}

	record Order(String id) {
	}

	/** A key value whose {@code toString()} throws the given exception, or returns null without one. */
	static final class Unprintable {

		private final @Nullable RuntimeException failure;

		Unprintable(@Nullable RuntimeException failure) {
			this.failure = failure;
		}

		@Override
		public String toString() {
			if (this.failure != null) {
				throw this.failure;
			}
			return null;
		}

	}

	public static class Orders {

		private final AtomicInteger runs = new AtomicInteger();

		/** How often a guarded body ran (read through a method: the bean is a class proxy). */
		public int runs() {
			return this.runs.get();
		}

		@DistributedLocked
		public String defaultName() {
			return currentLockId();
		}

		@DistributedLocked(key = "#id")
		public String byParameterName(long id) {
			return currentLockId();
		}

		@DistributedLocked(key = "#p0")
		public String byPosition(Object code) {
			return currentLockId();
		}

		@DistributedLocked(key = "#root.methodName")
		public String byRoot() {
			return currentLockId();
		}

		@DistributedLocked(key = "@keys.current()")
		public String byBean() {
			return currentLockId();
		}

		@DistributedLocked(name = "orders", key = "#order.id")
		public String named(Order order) {
			return currentLockId();
		}

		@DistributedLocked(name = "${orders.lock-name}")
		public String namedByPlaceholder() {
			return currentLockId();
		}

		@DistributedLocked(key = "#code")
		public String nullable(String code) {
			this.runs.incrementAndGet();
			return currentLockId();
		}

		@DistributedLocked(key = "#code")
		public String anyKey(Object code) {
			this.runs.incrementAndGet();
			return currentLockId();
		}

		@DistributedLocked(key = "#order.missing")
		public String missingProperty(Order order) {
			this.runs.incrementAndGet();
			return currentLockId();
		}

		@DistributedLocked(key = "#id")
		public void blocking(long id, CountDownLatch entered, CountDownLatch leave) {
			entered.countDown();
			try {
				leave.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private static String currentLockId() {
			return LockContext.current().map(LockHandle::lockId).orElse("no lock");
		}

	}

	@Component("keys")
	public static class Keys {

		public String current() {
			return "from-bean";
		}

	}

}
