package dev.distlock.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app as {@code spring-boot:process-aot} built it, run on the JVM with
 * {@code -Dspring.aot.enabled=true}: the generated context starts (no reflection-based bean
 * definitions), the lock backend is healthy, an order is charged under its lock, and the cluster cron
 * job runs. Runs in the {@code integration-test} phase, after the AOT processing of {@code package}.
 */
class AotProcessedSampleIT {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void theAotProcessedApplicationLocksChargesAndRunsItsScheduledJob() throws Exception {
		Path workDir = Files.createTempDirectory("distlock-sample-aot");
		String db = "--spring.datasource.url=jdbc:h2:file:" + workDir.resolve("db").toAbsolutePath() + ";AUTO_SERVER=TRUE";
		try (SampleInstance app = SampleInstance.start("aot", workDir, List.of("-Dspring.aot.enabled=true"), db,
				"--sample.job.cron=* * * * * *")) {
			assertThat(app.logText()).as("started from the AOT-generated context").contains("Starting AOT-processed");

			JsonNode health = json.readTree(app.get("/actuator/health").body());
			assertThat(health.get("status").asString()).isEqualTo("UP");
			assertThat(health.at("/components/distlock/status").asString()).isEqualTo("UP");

			JsonNode charge = json.readTree(app.post("/orders/42/charge").body());
			assertThat(charge.get("result").asString()).isEqualTo("CHARGED");
			assertThat(json.readTree(app.post("/orders/42/charge").body()).get("result").asString())
				.isEqualTo("ALREADY_CHARGED");

			await().atMost(Duration.ofSeconds(30))
				.until(() -> json.readTree(app.get("/jobs/runs").body()).size() >= 1);
		}
	}

}
