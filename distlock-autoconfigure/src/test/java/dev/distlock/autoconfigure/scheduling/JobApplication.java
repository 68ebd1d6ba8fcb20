package dev.distlock.autoconfigure.scheduling;

import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import dev.distlock.spi.LockProvider;

/**
 * One instance of an application with a per-second cron job, on a clock offset from true time by
 * {@code test.clock-offset} (its scheduler runs on the same clock). Properties: {@code test.instance}
 * (the instance's name), {@code test.clock-offset}, {@code test.job-duration} (how long a run takes).
 * The backend's auto-configuration comes from the test.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class JobApplication {

	/** Prefix of the scheduler threads of every instance. */
	static final String SCHEDULER_THREADS = "tick-scheduler-";

	@Bean
	Clock clock(Environment environment) {
		Duration offset = DurationStyle.detectAndParse(environment.getProperty("test.clock-offset", "0ms"));
		return Clock.offset(Clock.systemUTC(), offset);
	}

	@Bean
	ThreadPoolTaskScheduler taskScheduler(Clock clock, Environment environment) {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setClock(clock);
		// Notes when the scheduler fired, before distlock's advice: a run's tick is read from that, not
		// from distlock's own slot computation, and a slow claim or lock does not shift it.
		scheduler.setTaskDecorator((task) -> () -> {
			TickJob.FIRED_AT.set(clock.millis());
			try {
				task.run();
			}
			finally {
				TickJob.FIRED_AT.remove();
			}
		});
		// Two threads, so a long run does not delay the next trigger: it fires on time and is skipped.
		scheduler.setPoolSize(2);
		scheduler.setThreadNamePrefix(SCHEDULER_THREADS + environment.getProperty("test.instance") + "-");
		return scheduler;
	}

	@Bean
	TickJob tickJob(JobRuns runs, Clock clock, Environment environment) {
		return new TickJob(runs, clock, environment.getRequiredProperty("test.instance"),
				DurationStyle.detectAndParse(environment.getProperty("test.job-duration", "1ms")));
	}

	/** Counts each instance's round trips to its backend. */
	@Bean
	static BeanPostProcessor countingLockProviders() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof LockProvider provider && !(bean instanceof CountingLockProvider))
						? new CountingLockProvider(provider) : bean;
			}
		};
	}

	/** The cron job: locked by distlock with no annotation of its own. */
	public static class TickJob {

		/** The instance's clock when the scheduler fired the current run. */
		static final ThreadLocal<Long> FIRED_AT = new ThreadLocal<>();

		private final JobRuns runs;

		private final Clock clock;

		private final String instance;

		private final Duration duration;

		TickJob(JobRuns runs, Clock clock, String instance, Duration duration) {
			this.runs = runs;
			this.clock = clock;
			this.instance = instance;
			this.duration = duration;
		}

		@Scheduled(cron = "* * * * * *")
		public void tick() throws InterruptedException {
			Long firedAt = FIRED_AT.get();
			long now = this.clock.millis();
			this.runs.started(this.instance, (firedAt != null) ? firedAt : now, now);
			try {
				Thread.sleep(this.duration.toMillis());
			}
			finally {
				this.runs.ended();
			}
		}

	}

}
