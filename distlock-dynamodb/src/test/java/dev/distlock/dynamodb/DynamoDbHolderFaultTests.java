package dev.distlock.dynamodb;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A holder in a child JVM, renewing its lease, that dies (SIGKILL) or freezes (SIGSTOP): another
 * instance takes the lock over only once it has seen the holder's record version unchanged for the
 * lease time, and a frozen holder's late write is refused by fencing.
 */
class DynamoDbHolderFaultTests {

	/** Renewed every second: generous, so a loaded machine's late renewal does not lose the live holder's lease. */
	private static final Duration LEASE = Duration.ofSeconds(3);

	private static final String TABLE = DynamoDbTestClients.uniqueTable("faults");

	private static final String FENCE_TABLE = DynamoDbTestClients.uniqueTable("fence");

	private static DynamoDbClient client;

	private Process child;

	@BeforeAll
	static void createTables() {
		client = DynamoDbTestClients.client();
		new DynamoDbLockProvider(client, TABLE).createTableIfMissing();
		new DynamoDbLockProvider(client, FENCE_TABLE).createTableIfMissing();
	}

	@AfterAll
	static void dropTables() {
		client.deleteTable((request) -> request.tableName(TABLE));
		client.deleteTable((request) -> request.tableName(FENCE_TABLE));
		client.close();
	}

	@AfterEach
	void killChild() throws Exception {
		if (this.child != null && this.child.isAlive()) {
			signal("CONT");
			this.child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void aKilledHoldersLockIsTakenOverAfterItsRecordVersionStayedUnchangedForTheLease() throws Exception {
		String id = "crash-" + UUID.randomUUID();
		long childToken = startHolder(id);
		DynamoDbLockProvider other = new DynamoDbLockProvider(client, TABLE);
		long until = System.nanoTime() + LEASE.multipliedBy(2).toNanos();
		while (System.nanoTime() < until) {
			assertThat(other.tryAcquire(request(id))).as("the live holder renews: new record versions").isEmpty();
			Thread.sleep(100);
		}

		this.child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		long killedAt = System.nanoTime();
		Lease taken = awaitAcquired(other, id);
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);

		System.out.printf("[measured] dynamodb: holder SIGKILLed -> lock taken over after %d ms (lease %d ms)%n", millis,
				LEASE.toMillis());
		assertThat(taken.fencingToken()).isGreaterThan(childToken);
		assertThat(this.child.isAlive()).isFalse();
	}

	@Test
	void aFrozenHoldersLateWriteIsRefusedByFencing() throws Exception {
		String id = "frozen-" + UUID.randomUUID();
		long childToken = startHolder(id);
		signal("STOP");
		DynamoDbLockProvider other = new DynamoDbLockProvider(client, TABLE);
		Lease taken = awaitAcquired(other, id);
		TokenFence fence = new TokenFence(client, FENCE_TABLE);
		assertThat(taken.fencingToken()).isGreaterThan(childToken);
		assertThat(fence.write(id, taken.fencingToken(), "next-holder")).isTrue();

		signal("CONT");
		OutputStream stdin = this.child.getOutputStream();
		stdin.write("WRITE\n".getBytes(StandardCharsets.UTF_8));
		stdin.flush();

		assertThat(readLine()).isEqualTo("STALE");
		assertThat(fence.lastWriter(id)).isEqualTo("next-holder");
		assertThat(other.extend(taken, LEASE)).as("the new holder still holds").isTrue();
	}

	private long startHolder(String id) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		this.child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				DynamoDbHolderProcess.class.getName(), TABLE, id, Long.toString(LEASE.toMillis()), FENCE_TABLE)
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		String held = readLine();
		assertThat(held).startsWith("HELD ");
		return Long.parseLong(held.substring(5));
	}

	private BufferedReader reader;

	private String readLine() throws Exception {
		if (this.reader == null) {
			this.reader = new BufferedReader(new InputStreamReader(this.child.getInputStream(), StandardCharsets.UTF_8));
		}
		AtomicReference<String> line = new AtomicReference<>();
		Thread readerThread = new Thread(() -> {
			try {
				String next = this.reader.readLine();
				// The child's log lines share its standard output: skip them.
				while (next != null && !next.matches("(HELD \\d+|WRITTEN|STALE)")) {
					next = this.reader.readLine();
				}
				line.set(next);
			}
			catch (Exception ex) {
				line.set("ERROR " + ex);
			}
		});
		readerThread.start();
		readerThread.join(TimeUnit.SECONDS.toMillis(60));
		assertThat(line.get()).as("a line from the holder within 60 s").isNotNull();
		return line.get();
	}

	private void signal(String name) throws Exception {
		Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(this.child.pid())).inheritIO().start();
		assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
	}

	private static LeaseRequest request(String id) {
		return new LeaseRequest(id, "test-instance#" + UUID.randomUUID(), Duration.ofSeconds(60));
	}

	private static Lease awaitAcquired(DynamoDbLockProvider provider, String id) {
		AtomicReference<Lease> lease = new AtomicReference<>();
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
			Optional<Lease> attempt = provider.tryAcquire(request(id));
			attempt.ifPresent(lease::set);
			return attempt.isPresent();
		});
		return lease.get();
	}

}
