package dev.distlock.actuate;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.engine.LockEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code distlock} health contributor over real HTTP while the backend answers, fails, hangs and
 * returns. The backend is a {@link ControllableLockProvider}, which can also hang; against real
 * backends that a test stops and starts, see {@link DistlockHealthRedisOutageTests} and
 * {@link DistlockHealthJdbcOutageTests}.
 */
@SpringBootTest(classes = DistlockHealthHttpTests.TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health",
				"management.endpoint.health.show-details=always", "management.health.defaults.enabled=false",
				"management.health.distlock.enabled=true" })
class DistlockHealthHttpTests {

	private static final Duration LIVENESS_BOUND = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private ControllableLockProvider backend;

	@Autowired
	private LockTemplate locks;

	@Autowired
	private LockEngines engines;

	@AfterEach
	void backendReturns() {
		this.backend.up();
	}

	@Test
	void upWhileTheBackendAnswersWithProviderHeldCountAndLostLeases() {
		long lostBefore = this.engines.primary().leasesLost();
		try (LockHandle held = this.locks.acquire(LockRequest.of("health:1"))) {
			ActuatorClient.Response response = health();
			assertThat(response.status()).isEqualTo(200);
			JsonNode body = response.json();
			assertThat(body.get("status").asString()).isEqualTo("UP");
			assertThat(body.get("details").get("provider").asString()).isEqualTo("in-memory");
			assertThat(body.get("details").get("held").asInt()).isEqualTo(1);
			assertThat(body.get("details").get("leasesLost").asLong()).isEqualTo(lostBefore);
		}
		try (LockHandle lost = this.locks.acquire(LockRequest.of("health:2").leaseTime(Duration.ofMillis(600)))) {
			this.backend.forceRelease("health:2");
			await().atMost(LIVENESS_BOUND)
				.until(() -> health().json().get("details").get("leasesLost").asLong() == lostBefore + 1);
		}
	}

	@Test
	void downWithTheErrorWhileTheBackendIsDownAndUpWhenItReturns() {
		this.backend.down();
		ActuatorClient.Response down = health();
		assertThat(down.status()).isEqualTo(503);
		assertThat(down.json().get("status").asString()).isEqualTo("DOWN");
		assertThat(down.json().get("details").get("error").asString())
			.contains("Connection refused: the test backend is down");
		assertThat(down.json().get("details").get("provider").asString()).isEqualTo("in-memory");

		this.backend.up();
		await().atMost(LIVENESS_BOUND).until(() -> health().status() == 200);
		assertThat(health().json().get("status").asString()).isEqualTo("UP");
	}

	@Test
	void downWithinTheTimeoutWhileTheBackendHangsAndUpWhenItAnswersAgain() {
		this.backend.hang();
		for (int call = 1; call <= 2; call++) {
			long start = System.nanoTime();
			ActuatorClient.Response down = health();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("health answers despite the hung backend")
				.isLessThan(LIVENESS_BOUND);
			assertThat(down.status()).isEqualTo(503);
			assertThat(down.json().get("details").get("error").asString())
				.isEqualTo("The in-memory backend did not answer within 2000ms");
		}
		assertThat(Thread.getAllStackTraces().keySet().stream()
			.filter((thread) -> thread.getName().startsWith("distlock-health") && thread.getState() == Thread.State.WAITING))
			.as("later calls wait on the hung check instead of starting more")
			.hasSize(1);

		this.backend.up();
		await().atMost(LIVENESS_BOUND).until(() -> health().status() == 200);
	}

	private ActuatorClient.Response health() {
		return new ActuatorClient(this.port).get("/actuator/health/distlock");
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		ControllableLockProvider controllableLockProvider() {
			return new ControllableLockProvider();
		}

	}

}
