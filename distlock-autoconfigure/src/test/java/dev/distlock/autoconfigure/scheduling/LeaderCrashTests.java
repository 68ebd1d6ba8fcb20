package dev.distlock.autoconfigure.scheduling;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.distlock.Leadership;
import dev.distlock.test.server.EtcdCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A leader in a child JVM is SIGKILLed: the surviving candidate leads, with a larger term, within
 * the lease ({@code distlock.leader.lease-time=3s}) on a TTL backend (Redis, Redlock, a jdbc-table
 * lease table, DynamoDB), as soon as the killed process's database session ends on a session
 * backend (PostgreSQL advisory locks, MySQL named locks), and when its session expires on ZooKeeper
 * and etcd (set to the lease). The measured handover is logged. ({@code in-memory} has no other
 * process to hand over to.)
 */
class LeaderCrashTests {

	private static final Logger logger = LoggerFactory.getLogger(LeaderCrashTests.class);

	private static final Duration LEASE = Duration.ofSeconds(3);

	/** The contract's bound (the lease, or a session drop) plus a poll and slack for a loaded machine. */
	private static final Duration CRASH_BOUND = LEASE.plusSeconds(3);

	private final String unique = "leader" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

	private final LeaderRuns runs = new LeaderRuns();

	private LeaderInstances instances;

	private Process child;

	/** Stops the child and the survivor; also called before a test stops the server it started. */
	@AfterEach
	void stop() throws Exception {
		if (this.child != null) {
			this.child.destroyForcibly();
			this.child.waitFor(10, TimeUnit.SECONDS);
			this.child = null;
		}
		if (this.instances != null) {
			this.instances.close();
			this.instances = null;
		}
	}

	@Test
	void onRedisAKilledLeadersSuccessorLeadsWithinTheLease() throws Exception {
		killedLeaderIsSucceeded("redis", RedisOncePerFireTimeTests.Redis.class,
				"spring.data.redis.url=" + RedisOncePerFireTimeTests.REDIS_URL, "distlock.provider=redis",
				"distlock.redis.key-prefix=" + this.unique + ":");
	}

	@Test
	void onPostgresAKilledLeadersSuccessorLeadsWhenItsSessionEnds() throws Exception {
		killedLeaderIsSucceeded("postgres", TestBackends.Jdbc.class, "spring.datasource.url=" + TestBackends.POSTGRES_URL,
				"spring.datasource.username=" + TestBackends.POSTGRES_USER, "spring.datasource.hikari.maximum-pool-size=2",
				"distlock.provider=postgres", "distlock.jdbc.initialize-schema=always");
	}

	@Test
	void onMySqlAKilledLeadersSuccessorLeadsWhenItsSessionEnds() throws Exception {
		killedLeaderIsSucceeded("mysql", TestBackends.Jdbc.class, "spring.datasource.url=" + TestBackends.MYSQL_URL,
				"spring.datasource.username=" + TestBackends.MYSQL_USER, "spring.datasource.hikari.maximum-pool-size=2",
				"distlock.provider=mysql", "distlock.jdbc.initialize-schema=always");
	}

	@Test
	void onRedlockAKilledLeadersSuccessorLeadsWithinTheLease() throws Exception {
		killedLeaderIsSucceeded("redlock", TestBackends.Redis.class, TestBackends.redlock(this.unique + ":"));
	}

	@Test
	void onJdbcTableAKilledLeadersSuccessorLeadsWithinTheLease() throws Exception {
		try {
			killedLeaderIsSucceeded("jdbc-table", TestBackends.Jdbc.class,
					"spring.datasource.url=" + TestBackends.POSTGRES_URL,
					"spring.datasource.username=" + TestBackends.POSTGRES_USER,
					"spring.datasource.hikari.maximum-pool-size=2", "distlock.provider=jdbc-table",
					"distlock.jdbc.initialize-schema=always", "distlock.jdbc.table-name=" + this.unique);
			stop();
		}
		finally {
			try (Connection connection = DriverManager.getConnection(TestBackends.POSTGRES_URL,
					TestBackends.POSTGRES_USER, ""); Statement statement = connection.createStatement()) {
				statement.execute("DROP TABLE IF EXISTS " + this.unique);
			}
		}
	}

	@Test
	void onDynamoDbAKilledLeadersSuccessorLeadsWithinTheLease() throws Exception {
		String table = DynamoDbTestClient.createTable("distlock_leader_crash");
		try {
			killedLeaderIsSucceeded("dynamodb", DynamoDbTestClient.Instance.class, "distlock.provider=dynamodb",
					"distlock.dynamodb.table-name=" + table);
			stop();
		}
		finally {
			DynamoDbTestClient.dropTable(table);
		}
	}

	@Test
	void onEtcdAKilledLeadersSuccessorLeadsWhenItsSessionLeaseExpires() throws Exception {
		try (EtcdCluster etcd = EtcdCluster.start(1)) {
			// The session TTL is what frees a crashed instance's keys: as short as the lease here.
			killedLeaderIsSucceeded("etcd", TestBackends.DistlockOnly.class, "distlock.provider=etcd",
					"distlock.etcd.endpoints=" + etcd.endpoints(), "distlock.etcd.session-ttl=" + LEASE.toSeconds() + "s",
					"distlock.etcd.key-prefix=/" + this.unique + "/");
			stop();
		}
	}

	@Test
	void onZooKeeperAKilledLeadersSuccessorLeadsWhenItsSessionExpires() throws Exception {
		// Ticks of 500 ms: the server's minimum session timeout (2 ticks) is below the lease.
		try (TestingServer zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1), true)) {
			// ZooKeeper ends a crashed client's session at its timeout: as short as the lease here.
			killedLeaderIsSucceeded("zookeeper", TestBackends.DistlockOnly.class, "distlock.provider=zookeeper",
					"distlock.zookeeper.connect-string=" + zookeeper.getConnectString(),
					"distlock.zookeeper.session-timeout=" + LEASE.toSeconds() + "s",
					"distlock.zookeeper.base-path=/" + this.unique);
			stop();
		}
	}

	private void killedLeaderIsSucceeded(String provider, Class<?> backend, String... properties) throws Exception {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), LeaderProcess.class.getName(), this.unique,
				backend.getName()));
		command.addAll(List.of(properties));
		this.child = new ProcessBuilder(command).redirectErrorStream(true).start();
		long childTerm = CompletableFuture.supplyAsync(() -> firstLeadingRun(this.child)).get(90, TimeUnit.SECONDS);

		this.instances = new LeaderInstances(this.runs, this.unique, new Class<?>[] { backend }, properties,
				(context) -> {
				});
		this.instances.start("survivor");
		Leadership survivor = this.instances.memberships().get("survivor");
		assertThat(survivor.isLeader()).as("the survivor leads while the child does").isFalse();

		long killedAt = System.nanoTime();
		this.child.destroyForcibly();
		assertThat(survivor.awaitLeadership(Duration.ofSeconds(30))).as("the survivor leads").isTrue();
		Duration handover = Duration.ofNanos(System.nanoTime() - killedAt);
		logger.info("[leader-handover] crash provider={} handover={}ms lease={}ms", provider, handover.toMillis(),
				LEASE.toMillis());
		assertThat(survivor.term().orElseThrow()).as("the survivor's term").isGreaterThan(childTerm);
		assertThat(handover).as("handover after the leader was killed").isLessThan(CRASH_BOUND);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.runs.countBy("survivor") > 0);
	}

	/** Reads the child's output until its first leader-only run, returning its term. */
	private static long firstLeadingRun(Process child) {
		try {
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.startsWith("RAN ")) {
					long term = Long.parseLong(line.substring(4).trim());
					if (term > 0) {
						// Keep draining, so the child never blocks on a full pipe before the kill.
						Thread drain = new Thread(() -> drain(reader), "leader-child-output");
						drain.setDaemon(true);
						drain.start();
						return term;
					}
				}
			}
			throw new IllegalStateException("The leader process ended without leading");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void drain(BufferedReader reader) {
		try {
			while (reader.readLine() != null) {
				// discard
			}
		}
		catch (IOException ex) {
			// the child was killed
		}
	}

}
