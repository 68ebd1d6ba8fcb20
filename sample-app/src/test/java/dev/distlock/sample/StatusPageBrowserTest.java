package dev.distlock.sample;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jspecify.annotations.Nullable;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The status page at {@code /} in headless Chromium: it lists the locks this instance holds (from
 * {@code /actuator/locks}) and the report job's runs, refreshing every second. Needs the Debian
 * {@code chromium} and {@code chromium-driver} packages; skipped where they are missing.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "distlock.provider=in-memory", "spring.profiles.active=dev",
				"spring.datasource.url=jdbc:h2:mem:status-page;DB_CLOSE_DELAY=-1", "sample.job.cron=* * * * * *",
				"distlock.instance-id=status-page-instance" })
class StatusPageBrowserTest {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Duration PAGE_WAIT = Duration.ofSeconds(20);

	@LocalServerPort
	private int port;

	@TempDir
	private Path profile;

	private WebDriver browser;

	@BeforeAll
	static void chromiumIsInstalled() {
		assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
				"Chromium is not installed: apt-get install -y chromium chromium-driver");
	}

	@BeforeEach
	void openBrowser() {
		// A local driver and browser only: Selenium Manager must not try to download anything.
		System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--window-size=1280,1200", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--user-data-dir=" + this.profile);
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File(CHROMEDRIVER.toString()))
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
	}

	@AfterEach
	void closeBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void listsAHeldLockWhileItIsHeldAndTheJobRuns() throws Exception {
		this.browser.get("http://127.0.0.1:" + this.port + "/");
		WebDriverWait wait = pageWait();
		wait.until((page) -> !page.findElement(By.id("instance")).getText().equals("…"));
		assertThat(this.browser.findElement(By.id("provider")).getText()).isEqualTo("in-memory");
		// Alone, this instance leads the sample's group (joined by the @LeaderOnly coordinator job).
		wait.until((page) -> page.findElement(By.id("leadership")).getText()
			.matches("distlock-sample: this instance leads \\(term \\d+\\)"));

		this.browser.findElement(By.id("hold")).click();

		String result = wait.until((page) -> {
			String text = page.findElement(By.id("hold-result")).getText();
			return text.startsWith("Holding ") ? text : null;
		});
		String lock = result.split(" ")[1];
		assertThat(lock).startsWith("demo:hold-");
		List<String> cells = wait.until((page) -> lockRow(page, lock));
		assertThat(cells.get(0)).isEqualTo(lock);
		assertThat(Long.parseLong(cells.get(1))).isPositive();
		assertThat(cells.get(2)).isEqualTo("LockTemplate");
		assertThat(cells.get(3)).isEqualTo(lock.replace("demo:hold-", "demo-hold-"));
		wait.until((page) -> !page.findElements(By.cssSelector("#runs tbody tr")).isEmpty());
	}

	@Test
	void drawsTheJobsTicksByInstanceAndTheAcquireRateWithData() throws Exception {
		this.browser.get("http://127.0.0.1:" + this.port + "/");
		WebDriverWait wait = pageWait();
		JavascriptExecutor page = (JavascriptExecutor) this.browser;
		wait.until((ignored) -> number(page.executeScript(
				"return window.distlockCharts.ticks.data.datasets.reduce((n, d) => n + d.data.length, 0)")) >= 2);
		assertThat(page.executeScript("return window.distlockCharts.ticks.data.datasets.map((d) => d.label)"))
			.asString()
			.contains("status-page-instance");
		// The job takes its lock every second: the bars of acquired locks get data.
		wait.until((ignored) -> number(page.executeScript(
				"return window.distlockCharts.acquires.data.datasets[0].data.reduce((a, b) => a + b, 0)")) > 0);
		for (String canvas : List.of("ticks-chart", "acquire-chart")) {
			assertThat(number(page.executeScript(PAINTED_PIXELS, canvas))).as(canvas + " painted").isGreaterThan(500);
		}
		Path screenshot = ((TakesScreenshot) this.browser).getScreenshotAs(OutputType.FILE).toPath();
		Files.copy(screenshot, Path.of("target", "status-page.png"), StandardCopyOption.REPLACE_EXISTING);
	}

	/** How many pixels of a canvas are not transparent: a chart that drew something. */
	private static final String PAINTED_PIXELS = """
			const canvas = document.getElementById(arguments[0]);
			const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
			let painted = 0;
			for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) { painted++; } }
			return painted;""";

	private static double number(Object value) {
		return (value instanceof Number number) ? number.doubleValue() : 0;
	}

	@Test
	void dropsALockFromTheListOnceItIsReleased() throws Exception {
		this.browser.get("http://127.0.0.1:" + this.port + "/");
		HttpResponse<String> hold = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/demo/hold?seconds=2"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(hold.statusCode()).isEqualTo(200);
		String lock = hold.body().replaceAll(".*\"lock\":\"([^\"]+)\".*", "$1");

		WebDriverWait wait = pageWait();
		wait.until((page) -> lockRow(page, lock));
		wait.until((page) -> lockRow(page, lock) == null);
	}

	/** The cells of the lock's row, or {@code null} while the page does not list the lock. */
	private static @Nullable List<String> lockRow(WebDriver page, String lock) {
		return page.findElements(By.cssSelector("#locks tbody tr"))
			.stream()
			.filter((row) -> lock.equals(row.getDomAttribute("data-lock")))
			.findFirst()
			.map((row) -> row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList())
			.orElse(null);
	}

	/** Waits for the page, which re-renders its tables as data changes: rows read mid-refresh are read again. */
	private WebDriverWait pageWait() {
		WebDriverWait wait = new WebDriverWait(this.browser, PAGE_WAIT);
		wait.ignoring(StaleElementReferenceException.class);
		return wait;
	}

}
