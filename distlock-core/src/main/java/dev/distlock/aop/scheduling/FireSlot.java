package dev.distlock.aop.scheduling;

import java.time.Instant;

/**
 * The fire time of a {@code @Scheduled} job that one run belongs to: the same instant on every
 * instance for the same tick, since each computes it from the schedule and its own clock.
 *
 * @param fireTime the schedule's fire time (cron) or the start of the period bucket (fixed rate)
 * @param lastStart the latest local time at which a run still belongs to this slot; a run of the same
 * tick on an instance whose clock lags starts no later than this on that instance's clock
 */
public record FireSlot(Instant fireTime, Instant lastStart) {

}
