package dev.distlock.aop.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.scheduling.support.CronExpression;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fire slot a run belongs to, as every instance computes it from its own clock: for cron the fire
 * time nearest the run's start (a few milliseconds early or up to the late tolerance late), for fixed
 * rate the epoch-aligned period bucket.
 */
class FireScheduleTests {

	private static final Duration LATE = Duration.ofSeconds(1);

	private final CronFireSchedule everySecond = new CronFireSchedule(CronExpression.parse("* * * * * *"),
			ZoneOffset.UTC, LATE);

	private final CronFireSchedule everyTenSeconds = new CronFireSchedule(CronExpression.parse("*/10 * * * * *"),
			ZoneOffset.UTC, LATE);

	@Test
	void aCronRunOnTimeBelongsToItsFireTime() {
		assertThat(fireTime(this.everyTenSeconds, "12:00:10.000")).contains(at("12:00:10.000"));
		assertThat(fireTime(this.everyTenSeconds, "12:00:10.003")).contains(at("12:00:10.000"));
	}

	@Test
	void aCronRunFiredAFewMillisecondsEarlyBelongsToTheComingFireTime() {
		assertThat(fireTime(this.everyTenSeconds, "12:00:09.996")).contains(at("12:00:10.000"));
		assertThat(fireTime(this.everySecond, "12:00:09.960")).contains(at("12:00:10.000"));
	}

	@Test
	void aLateCronRunBelongsToItsFireTimeWithinTheLateTolerance() {
		assertThat(fireTime(this.everyTenSeconds, "12:00:10.900")).contains(at("12:00:10.000"));
		assertThat(fireTime(this.everySecond, "12:00:10.700")).as("not the next second, which has not fired")
			.contains(at("12:00:10.000"));
	}

	@Test
	void aCronRunLaterThanTheToleranceIsNoTicksRun() {
		assertThat(fireTime(this.everyTenSeconds, "12:00:11.200")).isEmpty();
		assertThat(fireTime(this.everyTenSeconds, "12:00:15.000")).isEmpty();
	}

	@Test
	void instancesWhoseClocksDifferComputeTheSameSlotForTheSameTick() {
		// The same tick fires on each instance when its own clock reads 12:00:10, whatever true time that is.
		for (String local : List.of("12:00:09.990", "12:00:10.000", "12:00:10.020", "12:00:10.400")) {
			assertThat(fireTime(this.everySecond, local)).as(local).contains(at("12:00:10.000"));
		}
	}

	@Test
	void aCronSlotLastsUntilTheLateToleranceOrTheNextFireTimesEarlyWindow() {
		FireSlot tenSeconds = this.everyTenSeconds.slotAt(at("12:00:10.000")).orElseThrow();
		assertThat(tenSeconds.lastStart()).isEqualTo(at("12:00:11.000"));
		FireSlot oneSecond = this.everySecond.slotAt(at("12:00:10.000")).orElseThrow();
		assertThat(oneSecond.lastStart()).isEqualTo(at("12:00:10.950"));
	}

	@Test
	void aFixedRateRunBelongsToTheEpochAlignedBucketItStartsIn() {
		FixedRateFireSchedule first = new FixedRateFireSchedule(Duration.ofSeconds(5));
		FixedRateFireSchedule second = new FixedRateFireSchedule(Duration.ofSeconds(5));
		// Two instances out of phase: one runs at .3 s into each bucket, the other at 3.8 s.
		assertThat(fireTime(first, "12:00:05.300")).contains(at("12:00:05.000"));
		assertThat(fireTime(second, "12:00:08.800")).contains(at("12:00:05.000"));
		assertThat(first.slotAt(at("12:00:10.300")).orElseThrow())
			.isEqualTo(new FireSlot(at("12:00:10.000"), at("12:00:15.000")));
	}

	@Test
	void aFixedRateTriggerFiringJustBeforeABucketBelongsToThatBucket() {
		assertThat(fireTime(new FixedRateFireSchedule(Duration.ofSeconds(5)), "12:00:04.990"))
			.contains(at("12:00:05.000"));
	}

	@Test
	void aFixedRateRunJitteringBackAcrossABucketEdgeTakesTheNextBucketNotItsPreviousOneAgain() {
		FixedRateFireSchedule schedule = new FixedRateFireSchedule(Duration.ofSeconds(5));
		assertThat(fireTime(schedule, "12:00:05.060")).contains(at("12:00:05.000"));
		assertThat(fireTime(schedule, "12:00:09.940")).as("a period later, 60 ms early")
			.contains(at("12:00:10.000"));
		assertThat(fireTime(schedule, "12:00:15.001")).contains(at("12:00:15.000"));
	}

	@Test
	void severalSchedulesGiveTheMostRecentSlot() {
		CompositeFireSchedule both = new CompositeFireSchedule(List.of(this.everyTenSeconds,
				new CronFireSchedule(CronExpression.parse("5 * * * * *"), ZoneOffset.UTC, LATE)));
		assertThat(fireTime(both, "12:00:05.010")).contains(at("12:00:05.000"));
		assertThat(fireTime(both, "12:00:10.010")).contains(at("12:00:10.000"));
	}

	@Test
	void claimIdsCycleThroughARingLongerThanTwiceAClaimsLife() {
		FireSlot slot = new FireSlot(at("12:00:10.000"), at("12:00:11.000"));
		FireSlot aMinuteLater = new FireSlot(at("12:01:10.000"), at("12:01:11.000"));
		FireSlot aSecondLater = new FireSlot(at("12:00:11.000"), at("12:00:12.000"));
		Duration life = Duration.ofSeconds(5);
		assertThat(SlotClaimIds.of("job", slot, life)).isEqualTo("job@10000")
			.isEqualTo(SlotClaimIds.of("job", aMinuteLater, life))
			.isNotEqualTo(SlotClaimIds.of("job", aSecondLater, life));
		assertThat(SlotClaimIds.of("job", slot, Duration.ofMinutes(1).plusSeconds(3)))
			.as("a ring of three minutes").isEqualTo("job@" + at("12:00:10.000").toEpochMilli() % 180_000);
	}

	private static Optional<Instant> fireTime(FireSchedule schedule, String time) {
		return schedule.slotAt(at(time)).map(FireSlot::fireTime);
	}

	private static Instant at(String time) {
		return Instant.parse("2026-01-05T" + time + "Z");
	}

}
