package dev.distlock.jdbc.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.distlock.LockBackendException;
import dev.distlock.spi.LeaseRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** What {@link LockConnection} enforces before any database is involved. */
class LockConnectionTests {

	private final AtomicInteger opened = new AtomicInteger();

	private final LockConnection<String> connection = new LockConnection<>(0, () -> {
		this.opened.incrementAndGet();
		throw new SQLException("no database in this test");
	}, Duration.ofSeconds(1), new NoDatabase(), () -> "test");

	@Test
	void aSessionUsedOutsideExecuteRefusesToWork() {
		AtomicReference<LockConnection<String>.Session> leaked = new AtomicReference<>();
		this.connection.execute((session) -> {
			session.hold("key", new SessionHold("lock", "owner#1"));
			leaked.set(session);
			return null;
		});
		assertThatIllegalStateException().isThrownBy(() -> leaked.get().holder("key"))
			.withMessageContaining("used outside LockConnection.execute");
		assertThatIllegalStateException().isThrownBy(() -> leaked.get().forget("key"));
		SessionHold hold = this.connection.execute((session) -> session.holder("key"));
		assertThat(hold).isEqualTo(new SessionHold("lock", "owner#1"));
	}

	@Test
	void workOnOneConnectionRunsOneAtATime() throws Exception {
		CountDownLatch firstInside = new CountDownLatch(1);
		CountDownLatch releaseFirst = new CountDownLatch(1);
		AtomicBoolean firstRunning = new AtomicBoolean();
		CompletableFuture<Void> first = CompletableFuture.runAsync(() -> this.connection.execute((session) -> {
			firstRunning.set(true);
			firstInside.countDown();
			await(releaseFirst);
			firstRunning.set(false);
			return null;
		}));
		await(firstInside);
		CompletableFuture<Boolean> second = CompletableFuture
			.supplyAsync(() -> this.connection.execute((session) -> firstRunning.get()));
		Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !second.isDone());
		releaseFirst.countDown();
		assertThat(second.get(10, TimeUnit.SECONDS)).as("first work still running when the second ran").isFalse();
		first.get(10, TimeUnit.SECONDS);
	}

	@Test
	void aClosedConnectionNeverOpensAgain() {
		this.connection.close();
		assertThatExceptionOfType(LockBackendException.class)
			.isThrownBy(() -> this.connection.execute(LockConnection.Session::connect))
			.withMessage("Test DB lock connection 0 of the 'test' lock provider is closed");
		assertThat(this.opened).hasValue(0);
	}

	private static void await(CountDownLatch latch) {
		try {
			if (!latch.await(10, TimeUnit.SECONDS)) {
				throw new AssertionError("latch not reached");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** A dialect no test here reaches. */
	private static final class NoDatabase implements SessionDialect<String> {

		@Override
		public String databaseName() {
			return "Test DB";
		}

		@Override
		public boolean isSupportedProduct(String databaseProductName) {
			return false;
		}

		@Override
		public String keyOf(String lockId) {
			return lockId;
		}

		@Override
		public long openSession(Connection connection) {
			throw new AssertionError("not reached");
		}

		@Override
		public OptionalLong tryLock(Connection connection, String key, LeaseRequest request) {
			throw new AssertionError("not reached");
		}

		@Override
		public PreparedStatement prepareAwait(Connection connection, String key, LeaseRequest request, Duration maxWait) {
			throw new AssertionError("not reached");
		}

		@Override
		public long recordAwaitedGrant(Connection connection, String key, LeaseRequest request) {
			throw new AssertionError("not reached");
		}

		@Override
		public boolean unlock(Connection connection, String key) {
			throw new AssertionError("not reached");
		}

		@Override
		public Set<String> heldKeys(Connection connection, long sessionId, Collection<String> keys) {
			throw new AssertionError("not reached");
		}

	}

}
