package dev.distlock.actuate;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

import dev.distlock.LockBackendException;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.test.server.LoopbackPort;
import dev.distlock.test.server.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code distlock} health contributor over real HTTP while a real Redis goes away and comes
 * back: a {@code redis-server} process of the test's own, killed and started again empty on the
 * same port. The shared Redis is never touched.
 */
class DistlockHealthRedisOutageTests {

	/** How long the application may take to notice that Redis left or returned. */
	private static final Duration LIVENESS_BOUND = Duration.ofSeconds(15);

	/** The health call waits 2 s for the backend at most; this leaves room for a slow machine. */
	private static final Duration ANSWER_BOUND = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(DistlockHealthRedisOutageTests.class);

	private RedisServerProcess redis;

	private ConfigurableApplicationContext application;

	private ActuatorClient actuator;

	private LockTemplate locks;

	@BeforeEach
	void startRedisAndTheApplication() {
		assumeThat(RedisServerProcess.isOnPath()).as("redis-server on the PATH").isTrue();
		this.redis = RedisServerProcess.start(LoopbackPort.free());
		this.application = new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.main.log-startup-info=false",
					"spring.data.redis.url=redis://127.0.0.1:" + this.redis.port(),
					"spring.data.redis.timeout=1s", "distlock.provider=redis",
					"management.endpoint.health.show-details=always", "management.health.redis.enabled=false")
			.run();
		this.actuator = new ActuatorClient(
				this.application.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
		this.locks = this.application.getBean(LockTemplate.class);
	}

	@AfterEach
	void stopTheApplicationAndRedis() {
		if (this.application != null) {
			this.application.close();
		}
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	void upWithProviderRedisWhileRedisAnswers() {
		try (LockHandle held = this.locks.acquire(request("up-" + System.nanoTime()))) {
			ActuatorClient.Response response = health();
			assertThat(response.status()).isEqualTo(200);
			JsonNode body = response.json();
			assertThat(body.get("status").asString()).isEqualTo("UP");
			assertThat(body.get("details").get("provider").asString()).isEqualTo("redis");
			assertThat(body.get("details").get("held").asInt()).isEqualTo(1);
			assertThat(body.get("details").get("leasesLost").asLong()).isZero();
		}
	}

	@Test
	void downAndFailingClosedWhileRedisIsStoppedThenUpWithLargerFencingTokensWhenItReturns() {
		String lockId = "outage-" + System.nanoTime();
		long tokenBefore;
		try (LockHandle before = this.locks.acquire(request(lockId))) {
			tokenBefore = before.fencingToken();
		}
		assertThat(health().status()).isEqualTo(200);

		this.redis.kill();
		long killed = System.nanoTime();
		await().atMost(LIVENESS_BOUND).until(() -> health().status() == 503);
		Duration untilDown = Duration.ofNanos(System.nanoTime() - killed);
		JsonNode down = health().json();
		assertThat(down.get("status").asString()).isEqualTo("DOWN");
		assertThat(down.get("details").get("provider").asString()).isEqualTo("redis");
		assertThat(down.get("details").get("error").asString()).contains("Redis health check");
		assertThatExceptionOfType(LockBackendException.class).as("acquiring while Redis is stopped")
			.isThrownBy(() -> this.locks.acquire(request(lockId)))
			.withMessageContaining("Redis acquire of lock '" + lockId + "' failed");

		int port = this.redis.port();
		this.redis.close();
		this.redis = RedisServerProcess.start(port);
		long restarted = System.nanoTime();
		await().atMost(LIVENESS_BOUND).until(() -> health().status() == 200);
		Duration untilUp = Duration.ofNanos(System.nanoTime() - restarted);
		assertThat(health().json().get("status").asString()).isEqualTo("UP");
		try (LockHandle after = this.locks.acquire(request(lockId))) {
			assertThat(after.fencingToken()).as("token after an empty restart").isGreaterThan(tokenBefore);
		}
		logger.info("distlock health went DOWN {} ms after redis-server was killed and UP {} ms after it restarted",
				untilDown.toMillis(), untilUp.toMillis());
	}

	/** GET the health of distlock, which must answer within {@link #ANSWER_BOUND} whatever Redis does. */
	private ActuatorClient.Response health() {
		long start = System.nanoTime();
		ActuatorClient.Response response = this.actuator.get("/actuator/health/distlock");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to answer the health call")
			.isLessThan(ANSWER_BOUND);
		return response;
	}

	private static LockRequest request(String lockId) {
		return LockRequest.of(lockId).waitTime(Duration.ZERO).leaseTime(Duration.ofSeconds(10));
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(exclude = DataSourceAutoConfiguration.class)
	static class TestApplication {

	}

}
