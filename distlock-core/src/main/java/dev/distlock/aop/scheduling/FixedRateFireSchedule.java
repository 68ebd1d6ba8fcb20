package dev.distlock.aop.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The ticks of a fixed-rate schedule. Instances start at different moments, so their runs are out of
 * phase; what they share is the grid of period-long buckets aligned to the epoch (an initial delay
 * only shifts an instance's first run, not the grid): a run belongs to the bucket it starts in, and
 * every instance's run in that bucket is the same tick. A trigger that fires up to
 * {@link CronFireSchedule#EARLY_TOLERANCE} before a bucket starts belongs to that bucket.
 *
 * <p>A run whose phase sits right at a bucket edge can jitter across it; the instance remembers its
 * last slot so that its next run, a period later, takes the following bucket instead of landing in
 * the same one again (which would skip it).
 */
final class FixedRateFireSchedule implements FireSchedule {

	private final Duration period;

	private final long periodMillis;

	private final long earlyMillis;

	private final AtomicReference<Last> last = new AtomicReference<>();

	FixedRateFireSchedule(Duration period) {
		this.period = period;
		this.periodMillis = Math.max(1, period.toMillis());
		this.earlyMillis = Math.min(CronFireSchedule.EARLY_TOLERANCE.toMillis(), this.periodMillis / 2);
	}

	@Override
	public Optional<FireSlot> slotAt(Instant now) {
		long nowMillis = now.toEpochMilli();
		long bucket = Math.floorDiv(nowMillis + this.earlyMillis, this.periodMillis) * this.periodMillis;
		Last previous = this.last.get();
		if (previous != null && bucket <= previous.bucket() && nowMillis - previous.startMillis() >= this.periodMillis / 2) {
			// Our previous run was about a period ago but took this bucket: this run is the next tick.
			bucket = previous.bucket() + this.periodMillis;
		}
		this.last.set(new Last(bucket, nowMillis));
		return Optional.of(new FireSlot(Instant.ofEpochMilli(bucket), Instant.ofEpochMilli(bucket + this.periodMillis)));
	}

	@Override
	public Duration longestSlotSpan() {
		return this.period;
	}

	private record Last(long bucket, long startMillis) {
	}

	@Override
	public String toString() {
		return "fixed rate " + this.period;
	}

}
