package dev.distlock.aop.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a {@code @Scheduled} job's ticks fall, as every instance computes them from its own clock.
 * Spring does not hand a running method the trigger's scheduled time (it stays inside
 * {@code ReschedulingRunnable}), so the slot is derived from the run's start time.
 */
public interface FireSchedule {

	/**
	 * The slot a run that starts at {@code now} (the instance's clock) belongs to.
	 * @return empty if the run is near no fire time: it started too late to count as a tick
	 */
	Optional<FireSlot> slotAt(Instant now);

	/**
	 * The longest time between a slot's fire time and its {@link FireSlot#lastStart()}: how long a
	 * tick can still start somewhere, on top of clock skew.
	 */
	Duration longestSlotSpan();

}
