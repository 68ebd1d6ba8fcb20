package dev.distlock.dynamodb;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.distlock.spi.BackendLock;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances whose wall clocks are 20 minutes apart contend for one lock; holders sometimes
 * abandon the lock without releasing it, so it changes hands by expiry, too. No grant ever starts
 * before the previous holder's lease ended by its own count, because expiry never compares clocks.
 */
class DynamoDbClockSkewTests {

	private static final Duration LEASE = Duration.ofMillis(400);

	private static final String TABLE = DynamoDbTestClients.uniqueTable("skew");

	private static DynamoDbClient client;

	@BeforeAll
	static void createTable() {
		client = DynamoDbTestClients.client();
		new DynamoDbLockProvider(client, TABLE).createTableIfMissing();
	}

	@AfterAll
	static void dropTable() {
		client.deleteTable((request) -> request.tableName(TABLE));
		client.close();
	}

	@Test
	void instancesWithClocksMinutesApartNeverHoldALockAtTheSameTime() throws Exception {
		String id = "skew-" + UUID.randomUUID();
		Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10));
		Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
		List<DynamoDbLockProvider> instances = List.of(new DynamoDbLockProvider(client, TABLE, ahead),
				new DynamoDbLockProvider(client, TABLE, behind));
		// The end of the current holder's lease (or of its hold) by its own monotonic clock: no grant before it.
		AtomicLong busyUntil = new AtomicLong(System.nanoTime());
		AtomicLong lastToken = new AtomicLong();
		AtomicInteger grants = new AtomicInteger();
		AtomicInteger abandoned = new AtomicInteger();
		List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
		long end = System.nanoTime() + Duration.ofSeconds(12).toNanos();
		ExecutorService pool = Executors.newFixedThreadPool(4);
		List<Future<?>> futures = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			DynamoDbLockProvider provider = instances.get(t % 2);
			futures.add(pool.submit(() -> {
				while (System.nanoTime() < end) {
					long sent = System.nanoTime();
					Optional<Lease> lease = provider.tryAcquire(
							new LeaseRequest(id, "instance-" + (provider == instances.get(0) ? "ahead" : "behind") + "#"
									+ UUID.randomUUID(), LEASE));
					if (lease.isEmpty()) {
						Thread.sleep(10);
						continue;
					}
					long granted = System.nanoTime();
					synchronized (busyUntil) {
						if (granted < busyUntil.get()) {
							violations.add("granted " + (busyUntil.get() - granted) / 1000 + " µs before the previous lease ended");
						}
						if (lease.get().fencingToken() <= lastToken.get()) {
							violations.add("token " + lease.get().fencingToken() + " after " + lastToken.get());
						}
						lastToken.set(lease.get().fencingToken());
						busyUntil.set(sent + LEASE.toNanos());
					}
					grants.incrementAndGet();
					Thread.sleep(ThreadLocalRandom.current().nextInt(20, 150));
					if (ThreadLocalRandom.current().nextInt(3) == 0) {
						abandoned.incrementAndGet(); // as if the holder died: the lease must run out
						continue;
					}
					synchronized (busyUntil) {
						busyUntil.set(System.nanoTime());
					}
					provider.release(lease.get());
				}
				return null;
			}));
		}
		for (Future<?> future : futures) {
			future.get(2, TimeUnit.MINUTES);
		}
		pool.shutdown();

		assertThat(violations).isEmpty();
		assertThat(abandoned.get()).as("leases that had to expire").isPositive();
		assertThat(grants.get()).as("grants").isGreaterThan(abandoned.get());
	}

	@Test
	void theWritersClockOnlyLabelsTheItemForOperators() {
		String id = "label-" + UUID.randomUUID();
		DynamoDbLockProvider ahead = new DynamoDbLockProvider(client, TABLE,
				Clock.offset(Clock.systemUTC(), Duration.ofMinutes(30)));
		Lease lease = ahead.tryAcquire(new LeaseRequest(id, "ahead#1", LEASE)).orElseThrow();
		BackendLock seen = new DynamoDbLockProvider(client, TABLE).inspect(id).orElseThrow();
		assertThat(seen.expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(29)));
		assertThat(seen.fencingToken()).isEqualTo(lease.fencingToken());
	}

}
