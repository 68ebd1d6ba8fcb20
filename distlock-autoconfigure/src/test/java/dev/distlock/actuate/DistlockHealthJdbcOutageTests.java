package dev.distlock.actuate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

import dev.distlock.LockBackendException;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.test.server.LoopbackPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@code distlock} health contributor of the {@code jdbc-table} provider over real HTTP while
 * the database goes away and comes back: an H2 TCP server started in this JVM (stopping a shared
 * database server is not an option), which the application reaches over the network like any
 * server database. The in-memory database lives in this JVM, not in the TCP server, so it survives
 * the server's restart unless a test drops it, as a database that returns empty would be.
 */
class DistlockHealthJdbcOutageTests {

	/** How long the application may take to notice that the database left or returned. */
	private static final Duration LIVENESS_BOUND = Duration.ofSeconds(15);

	/** The health call waits 2 s for the backend at most; this leaves room for a slow machine. */
	private static final Duration ANSWER_BOUND = Duration.ofSeconds(10);

	/**
	 * How often to ask once the server is back. H2's client reports a connection broken by the
	 * restart with its own error codes (not SQLState 08xxx), so Hikari does not evict it when it
	 * fails; it evicts it only when validating it, which it skips for a connection used within the
	 * last 500 ms. Asked more often than that, the pool hands the same dead connection out forever.
	 */
	private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

	private static final Logger logger = LoggerFactory.getLogger(DistlockHealthJdbcOutageTests.class);

	private final String databaseName = "health-" + System.nanoTime();

	private final int port = LoopbackPort.free();

	private Server server;

	private ConfigurableApplicationContext application;

	private ActuatorClient actuator;

	private LockTemplate locks;

	@BeforeEach
	void startTheDatabaseAndTheApplication() throws SQLException {
		this.server = startServer();
		this.application = new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.main.log-startup-info=false",
					"spring.datasource.url=jdbc:h2:tcp://127.0.0.1:" + this.port + "/mem:" + this.databaseName
							+ ";DB_CLOSE_DELAY=-1",
					"spring.datasource.hikari.connection-timeout=1000", "distlock.provider=jdbc-table",
					"distlock.jdbc.initialize-schema=always", "management.endpoint.health.show-details=always",
					"management.health.db.enabled=false")
			.run();
		this.actuator = new ActuatorClient(
				this.application.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
		this.locks = this.application.getBean(LockTemplate.class);
	}

	@AfterEach
	void stopTheApplicationAndTheDatabase() throws SQLException {
		if (this.application != null) {
			this.application.close();
		}
		if (this.server != null) {
			this.server.stop();
		}
		dropTheDatabase();
	}

	@Test
	void downAndFailingClosedWhileTheDatabaseIsStoppedThenUpWithLargerFencingTokensWhenItReturns()
			throws SQLException {
		String lockId = "outage-" + System.nanoTime();
		long tokenBefore = acquireAndReleaseForToken(lockId);
		assertUpWithDetails();

		Duration untilDown = stopServerUntilDown();
		assertThatExceptionOfType(LockBackendException.class).as("acquiring while the database is stopped")
			.isThrownBy(() -> this.locks.acquire(request(lockId)))
			.withMessageContaining("jdbc-table: acquiring lock '" + lockId + "' failed");

		this.server = startServer();
		long restarted = System.nanoTime();
		await().atMost(LIVENESS_BOUND).pollInterval(POLL_INTERVAL).until(() -> health().status() == 200);
		Duration untilUp = Duration.ofNanos(System.nanoTime() - restarted);
		assertThat(acquireAndReleaseForToken(lockId)).isGreaterThan(tokenBefore);
		logger.info("jdbc-table health went DOWN {} ms after the database stopped and UP {} ms after it returned",
				untilDown.toMillis(), untilUp.toMillis());
	}

	@Test
	void staysDownSayingHowToCreateTheLeaseTableWhenTheDatabaseReturnsEmpty() throws SQLException {
		assertUpWithDetails();
		stopServerUntilDown();
		dropTheDatabase();

		this.server = startServer();
		// The table is created at startup only: nothing re-creates it, so locking cannot work and
		// health says so, naming the table and the way to create it.
		await().atMost(LIVENESS_BOUND)
			.pollInterval(POLL_INTERVAL)
			.until(() -> health().json().get("details").get("error").asString().contains("does not exist"));
		ActuatorClient.Response empty = health();
		assertThat(empty.status()).isEqualTo(503);
		assertThat(empty.json().get("details").get("error").asString())
			.contains("the lock table 'distlock_lock' does not exist")
			.contains("distlock.jdbc.initialize-schema=always");
		assertThatExceptionOfType(LockBackendException.class).isThrownBy(() -> this.locks.acquire(request("empty")))
			.withMessageContaining("the lock table 'distlock_lock' does not exist");
	}

	private void assertUpWithDetails() {
		ActuatorClient.Response up = health();
		assertThat(up.status()).isEqualTo(200);
		JsonNode body = up.json();
		assertThat(body.get("status").asString()).isEqualTo("UP");
		assertThat(body.get("details").get("provider").asString()).isEqualTo("jdbc-table");
		assertThat(body.get("details").get("held").asInt()).isZero();
	}

	/** Stops the TCP server; returns how long the health took to say DOWN. */
	private Duration stopServerUntilDown() {
		this.server.stop();
		long stopped = System.nanoTime();
		await().atMost(LIVENESS_BOUND).until(() -> health().status() == 503);
		Duration untilDown = Duration.ofNanos(System.nanoTime() - stopped);
		JsonNode down = health().json();
		assertThat(down.get("status").asString()).isEqualTo("DOWN");
		assertThat(down.get("details").get("provider").asString()).isEqualTo("jdbc-table");
		assertThat(down.get("details").get("error").asString()).contains("jdbc-table: checking table 'distlock_lock'");
		return untilDown;
	}

	private long acquireAndReleaseForToken(String lockId) {
		try (LockHandle handle = this.locks.acquire(request(lockId))) {
			return handle.fencingToken();
		}
	}

	/** GET the health of distlock, which must answer within {@link #ANSWER_BOUND} whatever the database does. */
	private ActuatorClient.Response health() {
		long start = System.nanoTime();
		ActuatorClient.Response response = this.actuator.get("/actuator/health/distlock");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to answer the health call")
			.isLessThan(ANSWER_BOUND);
		return response;
	}

	private Server startServer() throws SQLException {
		// No -tcpAllowOthers: the application connects over loopback, and -ifNotExists must not be
		// offered to other hosts.
		return Server.createTcpServer("-tcpPort", String.valueOf(this.port), "-ifNotExists").start();
	}

	/** Drops the in-memory database, which lives in this JVM whether the TCP server runs or not. */
	private void dropTheDatabase() throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:" + this.databaseName);
				Statement statement = connection.createStatement()) {
			statement.execute("SHUTDOWN");
		}
	}

	private static LockRequest request(String lockId) {
		return LockRequest.of(lockId).waitTime(Duration.ZERO).leaseTime(Duration.ofSeconds(10));
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(exclude = DataRedisAutoConfiguration.class)
	static class TestApplication {

	}

}
