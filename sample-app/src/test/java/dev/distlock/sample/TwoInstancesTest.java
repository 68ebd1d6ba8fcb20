package dev.distlock.sample;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two sample-app processes sharing one embedded H2 database (AUTO_SERVER): an order is charged
 * exactly once under concurrent requests to both, and the cron job runs at most once per tick —
 * with one instance's clock 900 ms ahead, and also after one instance is killed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	private Path workDir;

	private SampleInstance first;

	private SampleInstance second;

	@BeforeAll
	void startTwoInstances() throws Exception {
		this.workDir = Files.createTempDirectory("distlock-sample");
		String db = "--spring.datasource.url=jdbc:h2:file:" + this.workDir.resolve("db").toAbsolutePath()
				+ ";AUTO_SERVER=TRUE";
		String everyTwoSeconds = "--sample.job.cron=*/2 * * * * *";
		this.first = SampleInstance.start("node-a", this.workDir, db, everyTwoSeconds);
		// node-b's clock (and its scheduler's) runs 900 ms ahead: it fires every tick first.
		this.second = SampleInstance.start("node-b", this.workDir, db, everyTwoSeconds, "--sample.clock-offset=900ms");
	}

	@AfterAll
	void stop() {
		if (this.first != null) {
			this.first.close();
		}
		if (this.second != null) {
			this.second.close();
		}
	}

	@Test
	@Order(1)
	void chargesAnOrderExactlyOnceUnderConcurrentRequestsToBothInstances() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(50);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			SampleInstance target = (i % 2 == 0) ? this.first : this.second;
			responses.add(pool.submit(() -> {
				start.await();
				return target.post("/orders/7/charge");
			}));
		}
		start.countDown();
		List<String> results = new ArrayList<>();
		for (Future<HttpResponse<String>> response : responses) {
			HttpResponse<String> http = response.get();
			assertThat(http.statusCode()).as(http.body()).isEqualTo(200);
			results.add(json.readTree(http.body()).get("result").asString());
		}
		pool.shutdown();
		Map<String, Long> outcomes = results.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
		assertThat(outcomes).containsEntry("CHARGED", 1L).containsEntry("ALREADY_CHARGED", 49L);
		List<?> charges = json.readValue(this.first.get("/orders/7/charges").body(), List.class);
		assertThat(charges).hasSize(1);
	}

	@Test
	@Order(2)
	void runsTheCronJobAtMostOncePerTickAndKeepsRunningWhenAnInstanceDies() throws Exception {
		await().atMost(Duration.ofSeconds(60)).until(() -> runs().size() >= 4);
		assertAtMostOneRunPerTick(runs());

		this.first.kill();
		int before = runsBy("node-b").size();
		await().atMost(Duration.ofSeconds(60)).until(() -> runsBy("node-b").size() >= before + 2);
		List<JobRun> runs = runs();
		assertAtMostOneRunPerTick(runs);
		assertThat(runs).extracting(JobRun::fencingToken).doesNotHaveDuplicates();
	}

	private static void assertAtMostOneRunPerTick(List<JobRun> runs) {
		Map<String, List<JobRun>> byTick = runs.stream().collect(Collectors.groupingBy(JobRun::fireTime));
		byTick.forEach((tick, ofTick) -> assertThat(ofTick).as("runs of tick %s", tick).hasSize(1));
	}

	private List<JobRun> runsBy(String instance) throws Exception {
		return runs().stream().filter((run) -> run.instance().equals(instance)).toList();
	}

	private List<JobRun> runs() throws Exception {
		String body = this.second.get("/jobs/runs?limit=1000").body();
		return List.of(json.readValue(body, JobRun[].class));
	}

	record JobRun(@JsonProperty("instance") String instance, @JsonProperty("fireTime") String fireTime,
			@JsonProperty("fencingToken") long fencingToken) {
	}

}
