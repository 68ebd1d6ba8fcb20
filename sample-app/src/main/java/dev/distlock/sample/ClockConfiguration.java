package dev.distlock.sample;

import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The wall clock, a bean so an instance can be skewed: {@code sample.clock-offset} (e.g. {@code 900ms}
 * or {@code -900ms}, default 0) moves this instance's clock away from true time, for distlock and
 * for the scheduler alike, to show that the cron job still runs once per tick across instances whose
 * clocks disagree (up to {@code distlock.scheduled.max-clock-skew} each way).
 */
@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Clock clock(@Value("${sample.clock-offset:0ms}") Duration offset) {
		return offset.isZero() ? Clock.systemUTC() : Clock.offset(Clock.systemUTC(), offset);
	}

	/** The scheduler fires jobs by the same (possibly skewed) clock. */
	@Bean
	ThreadPoolTaskSchedulerCustomizer schedulerOnTheApplicationClock(Clock clock) {
		return (scheduler) -> scheduler.setClock(clock);
	}

}
