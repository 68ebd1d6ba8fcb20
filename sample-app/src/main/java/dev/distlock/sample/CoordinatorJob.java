package dev.distlock.sample;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.distlock.LeaderOnly;

/**
 * Leader election demo: one instance of the sample (the leader of the group named by
 * {@code spring.application.name}) coordinates every 5 s; the others skip. The status page shows
 * which instance leads, from the {@code leadership} field of {@code /actuator/locks}.
 */
@Component
public class CoordinatorJob {

	private static final Logger logger = LoggerFactory.getLogger(CoordinatorJob.class);

	private final AtomicLong runs = new AtomicLong();

	@LeaderOnly
	@Scheduled(fixedRate = 5000)
	public void coordinate() {
		logger.debug("Coordinating as the leader (run {})", this.runs.incrementAndGet());
	}

	/** How many times this instance coordinated. */
	public long runs() {
		return this.runs.get();
	}

}
