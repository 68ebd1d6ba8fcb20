package dev.distlock.autoconfigure.scheduling;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A claimer SIGKILLed right after its run, on backends with a TTL: its claim outlives it, so an
 * instance whose clock lags 1.8 s behind, firing the same tick later, does not run it again. (On
 * session-scoped backends a crash drops the claim with the session; see {@code SlotClaims}.)
 */
class SlotClaimerCrashTests {

	private final String unique = "slots" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

	private final JobRuns runs = new JobRuns();

	private JobInstances instances;

	private Process child;

	@AfterEach
	void stop() throws Exception {
		if (this.child != null) {
			this.child.destroyForcibly();
			this.child.waitFor(10, TimeUnit.SECONDS);
		}
		if (this.instances != null) {
			this.instances.close();
		}
	}

	@Test
	void onRedisATickWhoseClaimerWasKilledRightAfterItsRunDoesNotRunAgainOnALaggingInstance() throws Exception {
		killedClaimersTicksAreNotRunAgain(RedisOncePerFireTimeTests.Redis.class,
				"spring.data.redis.url=" + RedisOncePerFireTimeTests.REDIS_URL, "distlock.provider=redis",
				"distlock.redis.key-prefix=" + this.unique + ":");
	}

	@Test
	void onJdbcTableATickWhoseClaimerWasKilledRightAfterItsRunDoesNotRunAgainOnALaggingInstance() throws Exception {
		try {
			killedClaimersTicksAreNotRunAgain(TestBackends.Jdbc.class,
					"spring.datasource.url=" + TestBackends.POSTGRES_URL,
					"spring.datasource.username=" + TestBackends.POSTGRES_USER,
					"spring.datasource.hikari.maximum-pool-size=2", "distlock.provider=jdbc-table",
					"distlock.jdbc.initialize-schema=always", "distlock.jdbc.table-name=" + this.unique);
		}
		finally {
			stop();
			this.child = null;
			this.instances = null;
			dropTable();
		}
	}

	private void killedClaimersTicksAreNotRunAgain(Class<?> backend, String... properties) throws Exception {
		this.instances = new JobInstances(this.runs, new Class<?>[] { backend }, properties, (context) -> {
		});
		this.instances.start("behind", Duration.ofMillis(-900));
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), SlotClaimerProcess.class.getName(), backend.getName(),
				"900ms"));
		command.addAll(List.of(properties));
		this.child = new ProcessBuilder(command).redirectErrorStream(true).start();
		List<Long> childTicks = new ArrayList<>();
		CompletableFuture<Void> firstRun = CompletableFuture.runAsync(() -> readRuns(this.child, childTicks));
		firstRun.get(60, TimeUnit.SECONDS);
		// Right after the run: its body takes 1 ms and its lock is released a few ms later. (Killed
		// during the run, the job's lock would stay held until its lease ran out.)
		Thread.sleep(150);
		this.child.destroyForcibly();
		this.child.waitFor(10, TimeUnit.SECONDS);
		long killedAfter = childTicks.get(childTicks.size() - 1);

		await().atMost(Duration.ofSeconds(10)).until(() -> behindTicks().stream().anyMatch((tick) -> tick > killedAfter + 1));
		assertThat(behindTicks()).as("ticks the lagging instance ran; the killed claimer ran %s", childTicks)
			.doesNotContainAnyElementsOf(childTicks)
			.as("it ran the ticks around them").contains(killedAfter - 1, killedAfter + 2);
	}

	/** Reads the child's output until its first run (a SIGKILL then follows at once). */
	private static void readRuns(Process child, List<Long> ticks) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.startsWith("RAN ")) {
					ticks.add(Long.parseLong(line.substring(4).trim()));
					return;
				}
			}
			throw new IllegalStateException("The claimer process ended without a run");
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Set<Long> behindTicks() {
		return this.runs.all().stream().map(JobRuns.Run::tick).collect(Collectors.toSet());
	}

	private void dropTable() throws SQLException {
		try (Connection connection = DriverManager.getConnection(TestBackends.POSTGRES_URL, TestBackends.POSTGRES_USER,
				"");
				Statement statement = connection.createStatement()) {
			statement.execute("DROP TABLE IF EXISTS " + this.unique);
		}
	}

}
