package dev.distlock.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.distlock.LeaseLostEvent;

/**
 * Shows how to react to a lost lease: here, by logging it.
 */
@Component
public class LeaseLostLogger {

	private static final Logger logger = LoggerFactory.getLogger(LeaseLostLogger.class);

	@EventListener
	public void onLeaseLost(LeaseLostEvent event) {
		logger.warn("Lost the lock {} (fencing token {}): {}", event.getLockId(), event.getFencingToken(),
				event.getReason());
	}

}
