package dev.distlock.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import dev.distlock.DistributedLocked;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.spi.LockProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code locks} endpoint over real HTTP, with force release enabled. A second engine on the same
 * in-memory backend plays another application instance ({@code node-b}).
 */
@SpringBootTest(classes = LocksEndpointHttpTests.TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "distlock.provider=in-memory", "distlock.instance-id=node-a",
				"distlock.actuator.force-release-enabled=true", "management.endpoints.web.exposure.include=locks" })
@ExtendWith(OutputCaptureExtension.class)
class LocksEndpointHttpTests {

	private static final String ISO_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z";

	@LocalServerPort
	private int port;

	@Autowired
	private LockTemplate locks;

	@Autowired
	private LockProvider provider;

	@Autowired
	private Billing billing;

	private ActuatorClient actuator;

	private LeaseWatchdog nodeBWatchdog;

	private LockEngine nodeB;

	private final ExecutorService workers = Executors.newCachedThreadPool();

	@BeforeEach
	void setUp() {
		this.actuator = new ActuatorClient(this.port);
		this.nodeBWatchdog = new LeaseWatchdog(Clock.systemUTC());
		this.nodeB = new LockEngine(this.provider, this.nodeBWatchdog, EngineSettings.defaults("node-b"),
				LockEngineObserver.NOOP);
	}

	@AfterEach
	void tearDown() {
		this.workers.shutdownNow();
		this.nodeBWatchdog.close();
	}

	@Test
	void listsTheLocksThisInstanceHoldsWithTokenSourceThreadAndUtcTimestamps() throws Exception {
		CountDownLatch finish = new CountDownLatch(1);
		try (LockHandle order = onThread("checkout-1", () -> this.locks.acquire(LockRequest.of("order:42")))) {
			this.workers.submit(() -> this.billing.charge(7, finish));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.actuator.get("/actuator/locks").json().get("held").size() == 2);

			JsonNode body = this.actuator.get("/actuator/locks").json();
			assertThat(body.get("instance").asString()).isEqualTo("node-a");
			assertThat(body.get("provider").asString()).isEqualTo("in-memory");
			JsonNode template = held(body, "order:42");
			assertThat(template.get("fencingToken").asLong()).isEqualTo(order.fencingToken());
			assertThat(template.get("source").asString()).isEqualTo("LockTemplate");
			assertThat(template.get("thread").asString()).isEqualTo("checkout-1");
			assertThat(template.get("renewals").asLong()).isZero();
			assertThat(template.get("acquiredAt").asString()).matches(ISO_UTC);
			assertThat(template.get("expiresAt").asString()).matches(ISO_UTC);
			assertThat(template.has("provider")).as("provider per lock only with several providers").isFalse();
			JsonNode annotated = held(body, Billing.class.getName() + ".charge:7");
			assertThat(annotated.get("source").asString()).isEqualTo(Billing.class.getName() + ".charge");
		}
		finally {
			finish.countDown();
		}
	}

	@Test
	void showsOneLockWhoseNameHasAColonWithItsClusterWideHolder() {
		try (LockHandle held = this.nodeB.acquire(LockRequest.of("invoice:7"))) {
			for (String path : new String[] { "/actuator/locks/invoice:7", "/actuator/locks/invoice%3A7" }) {
				ActuatorClient.Response response = this.actuator.get(path);
				assertThat(response.status()).as(path).isEqualTo(200);
				JsonNode body = response.json();
				assertThat(body.get("lock").asString()).isEqualTo("invoice:7");
				assertThat(body.get("provider").asString()).isEqualTo("in-memory");
				assertThat(body.has("held")).as("not held by this instance").isFalse();
				assertThat(body.get("holder").get("instance").asString()).isEqualTo("node-b");
				assertThat(body.get("holder").get("fencingToken").asLong()).isEqualTo(held.fencingToken());
				assertThat(body.get("holder").get("expiresAt").asString()).matches(ISO_UTC);
			}
		}
	}

	@Test
	void addressesLockNamesWithSlashesByTheRemainingPath() {
		try (LockHandle held = this.locks.acquire(LockRequest.of("reports/daily/eu:2024-07"))) {
			JsonNode body = this.actuator.get("/actuator/locks/reports/daily/eu:2024-07").json();
			assertThat(body.get("lock").asString()).isEqualTo("reports/daily/eu:2024-07");
			assertThat(body.get("held").get("fencingToken").asLong()).isEqualTo(held.fencingToken());
			assertThat(body.get("holder").get("instance").asString()).isEqualTo("node-a");
		}
	}

	@Test
	void answersNotFoundForALockNobodyHolds() {
		assertThat(this.actuator.get("/actuator/locks/nobody:holds-this").status()).isEqualTo(404);
		assertThat(this.actuator.delete("/actuator/locks/nobody:holds-this").status()).isEqualTo(404);
	}

	@Test
	void forceReleaseEvictsTheHolderAndTheNextGrantOutranksItsFencingToken(CapturedOutput output) {
		FencedLedger ledger = new FencedLedger();
		LockHandle stuck = this.nodeB.acquire(LockRequest.of("ledger:1").leaseTime(Duration.ofMillis(900)));
		assertThat(ledger.write(stuck.fencingToken())).isTrue();

		ActuatorClient.Response response = this.actuator.delete("/actuator/locks/ledger:1");

		assertThat(response.status()).isEqualTo(200);
		JsonNode body = response.json();
		assertThat(body.get("outcome").asString()).isEqualTo("RELEASED");
		assertThat(body.get("evicted").get("instance").asString()).isEqualTo("node-b");
		assertThat(body.get("evicted").get("fencingToken").asLong()).isEqualTo(stuck.fencingToken());
		assertThat(output).contains("WARN").contains("Force-released lock 'ledger:1' on in-memory as requested by "
				+ "an unauthenticated caller; evicted holder: node-b (fencing token " + stuck.fencingToken() + ")");
		try (LockHandle next = this.locks.acquire(LockRequest.of("ledger:1"))) {
			assertThat(next.fencingToken()).isGreaterThan(stuck.fencingToken());
			assertThat(ledger.write(next.fencingToken())).isTrue();
			assertThat(ledger.write(stuck.fencingToken())).as("the evicted holder is fenced off").isFalse();
			await().atMost(Duration.ofSeconds(10)).until(() -> !stuck.isValid());
			assertThat(this.nodeB.leasesLost()).isEqualTo(1);
		}
		finally {
			stuck.close();
		}
	}

	private static JsonNode held(JsonNode body, String lock) {
		for (JsonNode held : body.get("held")) {
			if (held.get("lock").asString().equals(lock)) {
				return held;
			}
		}
		throw new AssertionError("No held lock '" + lock + "' in " + body);
	}

	private <T> T onThread(String name, java.util.function.Supplier<T> task) throws Exception {
		CompletableFuture<T> result = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				result.complete(task.get());
			}
			catch (RuntimeException ex) {
				result.completeExceptionally(ex);
			}
		}, name);
		thread.start();
		return result.get(10, TimeUnit.SECONDS);
	}

	/** A resource that remembers the highest fencing token it has seen and refuses older ones. */
	static final class FencedLedger {

		private long highest;

		synchronized boolean write(long fencingToken) {
			if (fencingToken < this.highest) {
				return false;
			}
			this.highest = fencingToken;
			return true;
		}

	}

	/** An annotated method that holds its lock until told to finish. */
	static class Billing {

		@DistributedLocked(key = "#orderId")
		public void charge(long orderId, CountDownLatch finish) {
			try {
				finish.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Billing.class)
	static class TestApplication {

	}

}
