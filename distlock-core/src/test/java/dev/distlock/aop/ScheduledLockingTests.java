package dev.distlock.aop;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import reactor.core.publisher.Mono;

import dev.distlock.LockContext;
import dev.distlock.LockHandle;
import dev.distlock.RunOnEveryNode;
import dev.distlock.memory.InMemoryLockProvider;
import dev.distlock.spi.Lease;
import dev.distlock.spi.LeaseRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scheduled jobs on two instances sharing one backend: a {@code @Scheduled} job is locked without
 * further code and never runs on two instances at once; {@code @RunOnEveryNode} jobs run everywhere.
 */
class ScheduledLockingTests {

	private static final String REPORT_LOCK = "dev.distlock.aop.ScheduledLockingTests$ReportJob.run";

	final InMemoryLockProvider provider = new InMemoryLockProvider();

	final Runs runs = new Runs();

	final List<ConfigurableApplicationContext> instances = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() {
		this.instances.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void aFixedRateJobNeverRunsOnTwoInstancesAtOnceAndIsLockedUnderItsDefaultName() {
		start(ReportJob.class);
		start(ReportJob.class);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.runs.lockIds.size() >= 6);
		close();
		assertThat(this.runs.maxConcurrent).hasValue(1);
		assertThat(this.runs.lockIds).containsOnly(Optional.of(REPORT_LOCK));
	}

	@Test
	void aReactiveJobTakesItsLockOnEveryRunAndNeverRunsOnTwoInstancesAtOnce() {
		start(ReactiveReportJob.class);
		start(ReactiveReportJob.class);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.runs.lockIds.size() >= 6);
		close();
		assertThat(this.runs.maxConcurrent).hasValue(1);
		assertThat(this.runs.heldDuringRun).as("the lock was held in the backend during every run")
			.containsOnly(true);
	}

	@Test
	void aJobWhoseLockIsHeldElsewhereIsSkippedUntilTheLockIsFree() {
		Lease heldElsewhere = this.provider
			.tryAcquire(new LeaseRequest(REPORT_LOCK, "elsewhere#1", Duration.ofSeconds(30)))
			.orElseThrow();
		start(ReportJob.class);
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> this.runs.lockIds.isEmpty());
		this.provider.release(heldElsewhere);
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.runs.lockIds.isEmpty());
	}

	@Test
	void aRunOnEveryNodeJobRunsOnEveryInstanceWithoutALock() {
		this.provider.tryAcquire(new LeaseRequest("dev.distlock.aop.ScheduledLockingTests$CacheRefresh.refresh",
				"elsewhere#1", Duration.ofSeconds(30)));
		start(CacheRefresh.class);
		start(CacheRefresh.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.runs.instancesSeen.size() == 2);
		assertThat(this.runs.lockIds).containsOnly(Optional.empty());
	}

	private void start(Class<?> job) {
		this.instances.add(TestApplication.on(this.provider)
			.bean("runs", Runs.class, this.runs)
			.start(Scheduling.class, job));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class Scheduling {

	}

	/** What the jobs of all instances saw. */
	static class Runs {

		final List<Optional<String>> lockIds = new CopyOnWriteArrayList<>();

		final List<Object> instancesSeen = new CopyOnWriteArrayList<>();

		final List<Boolean> heldDuringRun = new CopyOnWriteArrayList<>();

		final AtomicInteger concurrent = new AtomicInteger();

		final AtomicInteger maxConcurrent = new AtomicInteger();

		void run(Object instance, Duration duration) {
			this.maxConcurrent.accumulateAndGet(this.concurrent.incrementAndGet(), Math::max);
			try {
				this.lockIds.add(LockContext.current().map(LockHandle::lockId));
				if (!this.instancesSeen.contains(instance)) {
					this.instancesSeen.add(instance);
				}
				Thread.sleep(duration.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				this.concurrent.decrementAndGet();
			}
		}

	}

	public static class ReportJob {

		private final Runs runs;

		public ReportJob(Runs runs) {
			this.runs = runs;
		}

		@Scheduled(fixedRate = 100)
		public void run() {
			this.runs.run(this, Duration.ofMillis(80));
		}

	}

	public static class ReactiveReportJob {

		private final Runs runs;

		private final InMemoryLockProvider provider;

		public ReactiveReportJob(Runs runs, InMemoryLockProvider provider) {
			this.runs = runs;
			this.provider = provider;
		}

		@Scheduled(fixedRate = 100)
		public Mono<Void> run() {
			return Mono.fromRunnable(() -> {
				this.runs.heldDuringRun.add(this.provider.inspect(getClass().getName() + ".run").isPresent());
				this.runs.run(this, Duration.ofMillis(80));
			});
		}

	}

	public static class CacheRefresh {

		private final Runs runs;

		public CacheRefresh(Runs runs) {
			this.runs = runs;
		}

		@Scheduled(fixedRate = 50)
		@RunOnEveryNode
		public void refresh() {
			this.runs.run(this, Duration.ofMillis(10));
		}

	}

}
