package dev.distlock.autoconfigure.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.support.GenericApplicationContext;

import dev.distlock.spi.LockProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduled-jobs contract on one provider: a per-second cron job whose body takes about 1 ms,
 * on three instances with their own backend clients and clocks 900 ms ahead of, on, and 900 ms
 * behind true time (each scheduler on its instance's clock), runs exactly once per fire second.
 * The instances start in the order ahead, exact, behind, two seconds apart, and the one ahead —
 * which wins every tick while it runs, as its clock reaches each fire time first — is closed right
 * after one of its runs, so the winner changes; the two lagging instances, which fire that tick
 * 0.9 s and 1.8 s later, must not run it again.
 *
 * <p>Each provider's test extends this class and supplies its backend; the run also logs what a
 * once-per-tick run costs on that provider (round trips and claim latency).
 */
abstract class OncePerFireTimeContractTests {

	private static final Logger logger = LoggerFactory.getLogger(OncePerFireTimeContractTests.class);

	private static final Duration START_GAP = Duration.ofSeconds(2);

	private final JobRuns runs = new JobRuns();

	private JobInstances instances;

	/** A prefix unique to this run, for key prefixes and table names of shared servers. */
	protected final String unique = "slots" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

	/** The configuration classes that give an instance its backend (client auto-configuration + distlock's). */
	protected abstract Class<?>[] backendConfiguration();

	/** The properties that point an instance at the backend (each instance gets its own client). */
	protected abstract String[] backendProperties();

	/** Adds beans an instance needs beyond configuration, e.g. a provider shared by all instances. */
	protected void contribute(GenericApplicationContext context) {
	}

	@BeforeEach
	void prepareInstances() {
		this.instances = new JobInstances(this.runs, backendConfiguration(), backendProperties(), this::contribute);
	}

	@AfterEach
	void closeInstances() {
		this.instances.close();
	}

	@Test
	void everyFireSecondRunsExactlyOnceAcrossInstancesWithSkewedClocksAlsoAfterTheWinnerClosedRightAfterItsRun()
			throws InterruptedException {
		this.instances.start("ahead", Duration.ofMillis(900));
		Thread.sleep(START_GAP.toMillis());
		this.instances.start("exact", Duration.ZERO);
		Thread.sleep(START_GAP.toMillis());
		this.instances.start("behind", Duration.ofMillis(-900));
		Thread.sleep(START_GAP.toMillis());

		long aheadRuns = this.runs.countBy("ahead");
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(2))
			.until(() -> this.runs.countBy("ahead") > aheadRuns);
		this.instances.close("ahead");
		long closedAfterTick = this.runs.all().stream().filter((run) -> run.instance().equals("ahead"))
			.mapToLong(JobRuns.Run::tick).max().orElseThrow();
		await().atMost(Duration.ofSeconds(10)).until(() -> tickNow() > closedAfterTick + 3);
		long lastTick = tickNow() - 2;
		Map<String, CountingLockProvider> providers = new LinkedHashMap<>();
		this.instances.running().forEach((name, context) -> providers.put(name,
				(CountingLockProvider) context.getBean(LockProvider.class)));
		closeInstances();

		TreeMap<Long, List<String>> byTick = this.runs.byTick();
		logger.info("{} runs per tick: {}", getClass().getSimpleName(), byTick);
		assertThat(byTick.values()).as("no tick ran twice").allSatisfy((ran) -> assertThat(ran).hasSize(1));
		long firstTick = byTick.firstKey();
		assertThat(lastTick - firstTick).as("ticks observed").isGreaterThan(6);
		for (long tick = firstTick; tick <= lastTick; tick++) {
			assertThat(byTick.get(tick)).as("tick %s ran once (runs: %s)", Instant.ofEpochSecond(tick), byTick)
				.hasSize(1);
		}
		assertThat(byTick.get(closedAfterTick)).as("the closed claimer's last tick").containsExactly("ahead");
		assertThat(byTick.subMap(closedAfterTick, false, lastTick, true).values()).as("the winner changed")
			.allSatisfy((ran) -> assertThat(ran).doesNotContain("ahead"))
			.isNotEmpty();
		logCost(providers);
	}

	/** The second by true time (the "exact" instance's clock). */
	private static long tickNow() {
		return Math.round(System.currentTimeMillis() / 1000.0);
	}

	/**
	 * Logs what runs cost the surviving instances: every tick an instance fires costs it one claim
	 * attempt; a tick it wins adds the job lock's acquire and release (as before claims existed) and,
	 * on session-scoped backends, the claim's release after its window.
	 */
	private void logCost(Map<String, CountingLockProvider> providers) {
		Map<String, Long> runsPerInstance = this.runs.runsPerInstance();
		providers.forEach((name, counted) -> {
			long ran = runsPerInstance.getOrDefault(name, 0L);
			logger.info("[slot-cost] {} instance={} ticksFired={} runs={} claimReleases={} lockCalls={} "
					+ "extraRoundTripsPerRun={} medianClaimMicros={} medianLockAcquireMicros={}",
					getClass().getSimpleName(), name, counted.claimAttempts.get(), ran, counted.claimReleases.get(),
					counted.lockCalls.get(),
					(ran > 0) ? String.format("%.2f", 1 + (double) counted.claimReleases.get() / ran) : "-",
					CountingLockProvider.medianMicros(counted.claimNanos),
					CountingLockProvider.medianMicros(counted.lockAcquireNanos));
		});
	}

}
