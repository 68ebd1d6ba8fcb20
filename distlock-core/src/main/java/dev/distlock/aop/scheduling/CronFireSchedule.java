package dev.distlock.aop.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import org.springframework.scheduling.support.CronExpression;

/**
 * The fire times of a cron schedule. A run belongs to the cron time nearest its start: the next one
 * if it is at most {@link #EARLY_TOLERANCE} ahead (triggers can fire a few milliseconds early, as
 * the scheduler's delay and the wall clock drift apart), else the latest one at or before it if that
 * is at most the late tolerance behind (a busy scheduler starts runs late). A run later than that is
 * no tick's run.
 */
final class CronFireSchedule implements FireSchedule {

	/** How early a trigger may fire and still belong to the coming fire time. */
	static final Duration EARLY_TOLERANCE = Duration.ofMillis(50);

	private final CronExpression expression;

	private final ZoneId zone;

	private final Duration lateTolerance;

	/**
	 * @param expression the cron expression
	 * @param zone the zone the scheduler evaluates it in
	 * @param lateTolerance how late a run may start after its fire time and still be that tick's run
	 */
	CronFireSchedule(CronExpression expression, ZoneId zone, Duration lateTolerance) {
		this.expression = expression;
		this.zone = zone;
		this.lateTolerance = lateTolerance;
	}

	@Override
	public Optional<FireSlot> slotAt(Instant now) {
		ZonedDateTime at = now.atZone(this.zone);
		ZonedDateTime next = this.expression.next(at);
		if (next != null && Duration.between(at, next).compareTo(EARLY_TOLERANCE) <= 0) {
			return Optional.of(slot(next));
		}
		// The latest fire time in (now - lateTolerance, now]: CronExpression only looks forward.
		ZonedDateTime latest = null;
		ZonedDateTime candidate = this.expression.next(at.minus(this.lateTolerance).minusNanos(1));
		while (candidate != null && !candidate.isAfter(at)) {
			latest = candidate;
			candidate = this.expression.next(candidate);
		}
		return Optional.ofNullable(latest).map(this::slot);
	}

	/** A run belongs to this fire time until the late tolerance ends or the next one's early window starts. */
	private FireSlot slot(ZonedDateTime fireTime) {
		Instant lastStart = fireTime.toInstant().plus(this.lateTolerance);
		ZonedDateTime following = this.expression.next(fireTime);
		if (following != null) {
			Instant nextWindow = following.toInstant().minus(EARLY_TOLERANCE);
			if (nextWindow.isBefore(lastStart)) {
				lastStart = nextWindow;
			}
		}
		return new FireSlot(fireTime.toInstant(), lastStart);
	}

	@Override
	public Duration longestSlotSpan() {
		return this.lateTolerance;
	}

	@Override
	public String toString() {
		return "cron '" + this.expression + "' in " + this.zone;
	}

}
