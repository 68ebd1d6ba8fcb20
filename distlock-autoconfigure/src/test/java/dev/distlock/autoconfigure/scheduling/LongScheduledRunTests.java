package dev.distlock.autoconfigure.scheduling;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.distlock.autoconfigure.DistlockAutoConfiguration;
import dev.distlock.memory.InMemoryLockProvider;
import dev.distlock.spi.ForwardingLockProvider;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;
import dev.distlock.spi.LockProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scheduled runs longer than their period, and shutdown during a run, on instances sharing an
 * in-memory backend: runs never overlap, the ticks a run covers are skipped (visibly), not queued,
 * and closing an instance waits for its run, which keeps its lock to the end.
 */
@ExtendWith(OutputCaptureExtension.class)
class LongScheduledRunTests {

	private static final String JOB_LOCK = JobApplication.TickJob.class.getName() + ".tick";

	private final InMemoryLockProvider shared = new InMemoryLockProvider();

	private final JobRuns runs = new JobRuns();

	private final JobInstances instances = new JobInstances(this.runs, new Class<?>[] { Distlock.class },
			new String[0], (context) -> context.registerBean(LockProvider.class,
					() -> new ForwardingLockProvider(this.shared) {
						@Override
						public void close() {
						}
					}));

	@AfterEach
	void close() {
		this.instances.close();
	}

	@Test
	void aRunOfTwoAndAHalfPeriodsNeverOverlapsAnotherAndTheTicksItCoversAreSkippedNotQueued(CapturedOutput output) {
		this.instances.start("first", Duration.ZERO, "test.job-duration=2500ms");
		this.instances.start("second", Duration.ofMillis(300), "test.job-duration=2500ms");
		await().atMost(Duration.ofSeconds(20)).until(() -> this.runs.all().size() >= 3);
		this.instances.close();

		List<JobRuns.Run> all = this.runs.all();
		assertThat(this.runs.maxConcurrent()).as("runs at once").isEqualTo(1);
		for (JobRuns.Run run : all) {
			assertThat(run.startedAtMillis() - run.tick() * 1000).as("%s started on time, not queued", run)
				.isBetween(-100L, 500L);
		}
		for (int i = 1; i < all.size(); i++) {
			assertThat(all.get(i).tick() - all.get(i - 1).tick()).as("the two ticks a run covers are skipped")
				.isGreaterThanOrEqualTo(3);
		}
		assertThat(output).contains("the previous run still holds lock '" + JOB_LOCK + "'");
	}

	@Test
	void closingAnInstanceWaitsForItsRunWhichKeepsItsLockToTheEndAndLeavesNoThreadBehind() {
		this.instances.start("closing", Duration.ZERO, "test.job-duration=2s");
		await().atMost(Duration.ofSeconds(5)).until(this.runs::running);
		CompletableFuture<Long> closed = CompletableFuture.supplyAsync(() -> {
			this.instances.close("closing");
			return System.nanoTime();
		});
		await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> true);
		assertThat(this.runs.running()).as("the run goes on while the instance closes").isTrue();
		assertThat(tryLock()).as("its lock is held meanwhile").isEmpty();

		long closedAt = closed.join();
		assertThat(this.runs.running()).isFalse();
		assertThat(this.runs.endedAtNanos()).as("the run ended before close returned").isLessThan(closedAt);
		Optional<Lease> free = tryLock();
		assertThat(free).as("the lock is free once the run ended").isPresent();
		this.shared.release(free.get());
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(instanceThreads()).isEmpty());
	}

	private Optional<Lease> tryLock() {
		return this.shared.tryAcquire(new LeaseRequest(JOB_LOCK, "test#1", Duration.ofSeconds(5)));
	}

	private static Set<String> instanceThreads() {
		return Thread.getAllStackTraces().keySet().stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith(JobApplication.SCHEDULER_THREADS) || name.startsWith("distlock"))
			.collect(Collectors.toSet());
	}

	@ImportAutoConfiguration(DistlockAutoConfiguration.class)
	static class Distlock {

	}

}
