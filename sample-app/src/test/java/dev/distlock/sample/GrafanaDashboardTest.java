package dev.distlock.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard shipped in {@code docs/grafana/distlock.json} queries only what the starter
 * really publishes: after a grant, a busy attempt, renewals, a force-released (lost) lease and a
 * release, every metric and every label its queries name is in the sample app's
 * {@code /actuator/prometheus} scrape.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "distlock.provider=in-memory", "spring.profiles.active=dev",
				"spring.datasource.url=jdbc:h2:mem:dashboard;DB_CLOSE_DELAY=-1", "distlock.actuator.force-release-enabled=true" })
class GrafanaDashboardTest {

	private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "distlock.json");

	private static final Pattern METRIC = Pattern.compile("\\bdistlock_[a-z_]+");

	private static final Pattern GROUPING = Pattern.compile("by \\(([^)]*)\\)");

	private static final Pattern MATCHER = Pattern.compile("([a-z_]+)\\s*=~?\\s*\"");

	/** Labels that Prometheus adds when it scrapes, or that histograms carry. */
	private static final Set<String> SCRAPE_LABELS = Set.of("instance", "job", "le");

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private LockTemplate locks;

	@Test
	void everyQueryNamesAMetricAndLabelsTheStarterPublishes() throws Exception {
		exerciseEveryMeter();
		String scrape = get("/actuator/prometheus");
		List<String> queries = queries(JsonMapper.builder().build().readTree(Files.readString(DASHBOARD)));
		assertThat(queries).hasSizeGreaterThanOrEqualTo(6);
		for (String query : queries) {
			Set<String> metrics = find(METRIC, query);
			assertThat(metrics).as("metrics in %s", query).isNotEmpty();
			for (String metric : metrics) {
				List<String> samples = scrape.lines().filter((line) -> line.startsWith(metric + "{")).toList();
				assertThat(samples).as("%s (in %s) in the scrape:%n%s", metric, query, scrape).isNotEmpty();
				for (String label : labels(query)) {
					assertThat(samples).as("label %s of %s", label, metric).anyMatch((line) -> line.contains(label + "=\""));
				}
			}
		}
	}

	/** Every meter the dashboard charts gets a sample: a grant, a busy try, renewals, a lost lease, a release. */
	private void exerciseEveryMeter() throws Exception {
		LockHandle held = this.locks.acquire(LockRequest.of("dashboard").leaseTime(Duration.ofMillis(600)));
		// Another thread finds it busy (this thread would re-enter).
		assertThat(CompletableFuture.supplyAsync(() -> this.locks.tryAcquire(LockRequest.of("dashboard"))).get())
			.isEmpty();
		await().atMost(Duration.ofSeconds(20)).until(() -> get("/actuator/prometheus").contains("distlock_renewals_total{"));
		HttpResponse<String> evicted = this.http.send(HttpRequest.newBuilder(uri("/actuator/locks/dashboard")).DELETE().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(evicted.statusCode()).as(evicted.body()).isLessThan(300);
		await().atMost(Duration.ofSeconds(20)).until(() -> !held.isValid());
		held.close();
		this.locks.acquire(LockRequest.of("dashboard-released")).close();
		await().atMost(Duration.ofSeconds(20)).until(() -> get("/actuator/prometheus").contains("distlock_leases_lost_total{"));
	}

	private static List<String> queries(JsonNode dashboard) {
		List<String> queries = new ArrayList<>();
		dashboard.get("panels").forEach((panel) -> panel.get("targets").forEach((target) -> queries.add(target.get("expr").asString())));
		dashboard.at("/templating/list").forEach((variable) -> queries.add(variable.get("query").asString()));
		return queries;
	}

	private static Set<String> labels(String query) {
		Set<String> labels = new LinkedHashSet<>();
		Matcher grouping = GROUPING.matcher(query);
		while (grouping.find()) {
			for (String label : grouping.group(1).split(",")) {
				labels.add(label.trim());
			}
		}
		labels.addAll(find(MATCHER, query.replaceAll("\\$\\w+", "")));
		Matcher values = Pattern.compile("label_values\\([^,]+,\\s*([a-z_]+)\\)").matcher(query);
		while (values.find()) {
			labels.add(values.group(1));
		}
		labels.removeAll(SCRAPE_LABELS);
		labels.remove("");
		return labels;
	}

	private static Set<String> find(Pattern pattern, String text) {
		Set<String> found = new LinkedHashSet<>();
		Matcher matcher = pattern.matcher(text);
		while (matcher.find()) {
			found.add(matcher.groupCount() > 0 ? matcher.group(1) : matcher.group());
		}
		return found;
	}

	private String get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
