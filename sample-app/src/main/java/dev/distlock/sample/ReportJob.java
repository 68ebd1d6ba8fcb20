package dev.distlock.sample;

import java.time.Clock;
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

	private final JobRuns runs;

	private final InstanceInfo instance;

	private final Clock clock;

	private final CronExpression cron;

	public ReportJob(JobRuns runs, InstanceInfo instance, Clock clock, @Value("${sample.job.cron}") String cron) {
		this.runs = runs;
		this.instance = instance;
		this.clock = clock;
		this.cron = CronExpression.parse(cron);
	}

	@Scheduled(cron = "${sample.job.cron}")
	public void run() {
		Instant fireTime = fireTimeOf(Instant.now(this.clock));
		long token = LockContext.current().orElseThrow().fencingToken();
		this.runs.record(this.instance.id(), fireTime, token);
		logger.info("Report job ran for tick {} on {} with fencing token {}", fireTime, this.instance.id(), token);
	}

	/** The tick this run belongs to: the fire time nearest to now (triggers may fire a few ms early). */
	private Instant fireTimeOf(Instant now) {
		ZonedDateTime from = now.atZone(this.clock.getZone()).minusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
		ZonedDateTime next = this.cron.next(from.minusNanos(1));
		return (next != null) ? next.toInstant() : now.truncatedTo(ChronoUnit.SECONDS);
	}

}
