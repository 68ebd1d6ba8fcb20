package dev.distlock.autoconfigure.virtual;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import dev.distlock.DistributedLocked;
import dev.distlock.LockContext;
import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.autoconfigure.DistlockAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code spring.threads.virtual.enabled=true}, Boot schedules jobs on virtual threads: a
 * {@code @Scheduled @DistributedLocked} job runs on one, holds its lock in Redis for several lease
 * times because the watchdog renews it, and nobody else can take the lock meanwhile.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadSchedulingTests {

	private static final String REDIS_URL = System.getenv().getOrDefault("DISTLOCK_TEST_REDIS_URL",
			"redis://127.0.0.1:6379");

	@Test
	void aLockedScheduledJobRunsOnAVirtualThreadAndTheWatchdogRenewsItsLease() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class,
					DataRedisAutoConfiguration.class, DistlockAutoConfiguration.class))
			.withUserConfiguration(JobConfiguration.class)
			.withPropertyValues("spring.threads.virtual.enabled=true", "spring.data.redis.url=" + REDIS_URL,
					"distlock.provider=redis", "distlock.redis.key-prefix=vthreads-" + UUID.randomUUID() + ":")
			.run((context) -> {
				LongJob job = context.getBean(LongJob.class);
				assertThat(job.awaitStarted()).as("the job started").isTrue();
				Optional<LockHandle> other = context.getBean(LockTemplate.class).tryAcquire(LockRequest.of("vthread-job"));
				other.ifPresent(LockHandle::close);
				assertThat(other).as("the job's lock is held while it runs").isEmpty();
				assertThat(job.awaitFinished()).as("the job finished").isTrue();
				assertThat(job.ranOnVirtualThread()).isTrue();
				assertThat(job.validAfterSeveralLeaseTimes()).as("lease renewed by the watchdog").isTrue();
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class JobConfiguration {

		@Bean
		LongJob longJob() {
			return new LongJob();
		}

	}

	/** A job bean; the test reads its state through methods, since the bean is a class-based proxy. */
	static class LongJob {

		private final CountDownLatch started = new CountDownLatch(1);

		private final CountDownLatch finished = new CountDownLatch(1);

		private final AtomicReference<Boolean> validAfterSeveralLeaseTimes = new AtomicReference<>();

		private volatile boolean ranOnVirtualThread;

		private final AtomicBoolean ran = new AtomicBoolean();

		@Scheduled(fixedDelay = 60_000)
		@DistributedLocked(name = "vthread-job", leaseTime = "1s")
		public void run() throws InterruptedException {
			if (!this.ran.compareAndSet(false, true)) {
				return;
			}
			this.ranOnVirtualThread = VirtualThreads.isVirtual(Thread.currentThread());
			this.started.countDown();
			Thread.sleep(Duration.ofMillis(4000).toMillis()); // four lease times
			this.validAfterSeveralLeaseTimes.set(LockContext.current().map(LockHandle::isValid).orElse(false));
			this.finished.countDown();
		}

		public boolean awaitStarted() throws InterruptedException {
			return this.started.await(30, TimeUnit.SECONDS);
		}

		public boolean awaitFinished() throws InterruptedException {
			return this.finished.await(30, TimeUnit.SECONDS);
		}

		public boolean ranOnVirtualThread() {
			return this.ranOnVirtualThread;
		}

		public boolean validAfterSeveralLeaseTimes() {
			return Boolean.TRUE.equals(this.validAfterSeveralLeaseTimes.get());
		}

	}

}
