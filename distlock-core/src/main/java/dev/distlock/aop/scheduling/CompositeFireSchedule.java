package dev.distlock.aop.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The ticks of a method with several schedules: a run belongs to the most recent slot any of them
 * gives, so schedules that fire at the same time make one tick.
 */
final class CompositeFireSchedule implements FireSchedule {

	private final List<FireSchedule> schedules;

	CompositeFireSchedule(List<FireSchedule> schedules) {
		this.schedules = List.copyOf(schedules);
	}

	@Override
	public Optional<FireSlot> slotAt(Instant now) {
		return this.schedules.stream()
			.map((schedule) -> schedule.slotAt(now))
			.flatMap(Optional::stream)
			.max(Comparator.comparing(FireSlot::fireTime));
	}

	@Override
	public Duration longestSlotSpan() {
		return this.schedules.stream().map(FireSchedule::longestSlotSpan).max(Comparator.naturalOrder())
			.orElse(Duration.ZERO);
	}

	@Override
	public String toString() {
		return this.schedules.toString();
	}

}
