package dev.distlock.sample;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

import dev.distlock.LockContext;

/**
 * A cluster-wide cron job: distlock locks it with no extra code, so one instance runs each tick.
 * Each run records which instance ran which tick with which fencing token.
 */
@Component
public class ReportJob {

	private static final Logger logger = LoggerFactory.getLogger(ReportJob.class);

	private static final Duration EARLY_FIRE_TOLERANCE = Duration.ofMillis(100);

	private final JobRuns runs;

	private final InstanceInfo instance;

	private final Clock clock;

	private final CronExpression cron;

	private final Duration lookBack;

	public ReportJob(JobRuns runs, InstanceInfo instance, Clock clock, @Value("${sample.job.cron}") String cron) {
		this.runs = runs;
		this.instance = instance;
		this.clock = clock;
		this.cron = CronExpression.parse(cron);
		ZonedDateTime first = this.cron.next(ZonedDateTime.now(clock));
		ZonedDateTime second = (first != null) ? this.cron.next(first) : null;
		this.lookBack = (second != null) ? Duration.between(first, second).multipliedBy(2) : Duration.ofDays(1);
	}

	@Scheduled(cron = "${sample.job.cron}")
	public void run() {
		Instant fireTime = fireTimeOf(Instant.now(this.clock));
		long token = LockContext.current().orElseThrow().fencingToken();
		this.runs.record(this.instance.id(), fireTime, token);
		logger.info("Report job ran for tick {} on {} with fencing token {}", fireTime, this.instance.id(), token);
	}

	/**
	 * The tick this run belongs to: the latest fire time at or before now, allowing for a trigger
	 * that fires a few milliseconds early (a late one — a busy scheduler — still belongs to its tick).
	 */
	private Instant fireTimeOf(Instant now) {
		ZonedDateTime limit = now.plus(EARLY_FIRE_TOLERANCE).atZone(this.clock.getZone());
		ZonedDateTime tick = null;
		ZonedDateTime next = this.cron.next(limit.minus(this.lookBack));
		while (next != null && !next.isAfter(limit)) {
			tick = next;
			next = this.cron.next(next);
		}
		return (tick != null) ? tick.toInstant() : now.truncatedTo(ChronoUnit.SECONDS);
	}

}
