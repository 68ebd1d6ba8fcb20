package dev.distlock.aop;

import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.annotation.Scheduled;

import dev.distlock.DistributedLocked;
import dev.distlock.IfLocked;
import dev.distlock.RunOnEveryNode;
import dev.distlock.memory.InMemoryLockProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a {@code @Scheduled} method is locked: by default under its default name, skipping when busy,
 * with the scheduled lease time; jobs whose ticks are claimed (cron, fixed rate) need no minimum hold,
 * fixed-delay jobs hold for half their own period (capped at the lease); {@code @DistributedLocked}
 * overrides attributes, {@code @RunOnEveryNode} opts out.
 */
class ScheduledOperationTests {

	private static final Duration SCHEDULED_LEASE = Duration.ofSeconds(30);

	@Test
	void aFixedRateJobIsLockedUnderItsDefaultNameSkippingWithNoMinimumHoldSinceItsTicksAreClaimed() {
		LockOperation operation = operation(Jobs.class, "everyTenSeconds");
		assertThat(operation.origin().lockName()).isEqualTo(Jobs.class.getName() + ".everyTenSeconds");
		assertThat(operation.ifLocked()).isEqualTo(IfLocked.SKIP);
		assertThat(operation.leaseTime()).isEqualTo(SCHEDULED_LEASE);
		assertThat(operation.waitTime()).isZero();
		assertThat(operation.autoRenew()).isTrue();
		assertThat(operation.scheduled()).isTrue();
		assertThat(operation.key()).isNull();
		assertThat(operation.minHoldTime()).isZero();
	}

	@Test
	void theMinimumHoldOfAFixedDelayJobIsHalfItsDelay() {
		assertThat(operation(Jobs.class, "afterFourSeconds").minHoldTime()).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void theMinimumHoldFollowsTheSchedulesTimeUnit() {
		assertThat(operation(Jobs.class, "afterSixSecondsInSeconds").minHoldTime()).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void aCronJobHasNoMinimumHoldSinceItsTicksAreClaimed() {
		assertThat(operation(Jobs.class, "cronEveryTenSeconds").minHoldTime()).isZero();
	}

	@Test
	void aCronBesideAFixedDelayIsJudgedByTheGapAfterTheCurrentTimeAndCappedAtTheLeaseTime() {
		LockDefaults tenMinuteLease = new LockDefaults(Duration.ofSeconds(30), Duration.ZERO, true,
				Duration.ofMinutes(10), null);
		Clock beforeTheShortGap = Clock.fixed(Instant.parse("2026-01-05T11:59:00Z"), ZoneOffset.UTC);
		assertThat(operation(Jobs.class, "unevenCron", beforeTheShortGap, tenMinuteLease).minHoldTime())
			.as("12:00 then 12:04").isEqualTo(Duration.ofMinutes(2));
		Clock beforeTheLongGap = Clock.fixed(Instant.parse("2026-01-05T12:01:00Z"), ZoneOffset.UTC);
		assertThat(operation(Jobs.class, "unevenCron", beforeTheLongGap, tenMinuteLease).minHoldTime())
			.as("12:04 then 13:00: 28m, capped at the lease").isEqualTo(Duration.ofMinutes(10));
	}

	@Test
	void aFixedDelayJobWithSeveralSchedulesUsesTheShortestPeriod() {
		assertThat(operation(Jobs.class, "twoSchedules").minHoldTime()).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void aDisabledCronHasNoMinimumHold() {
		assertThat(operation(Jobs.class, "disabledCron").minHoldTime()).isZero();
	}

	@Test
	void aConfiguredScheduledMinimumHoldReplacesHalfThePeriodAndIsCappedAtTheLeaseTime() {
		LockDefaults twentySeconds = new LockDefaults(Duration.ofSeconds(30), Duration.ZERO, true, SCHEDULED_LEASE,
				Duration.ofSeconds(20));
		assertThat(operation(Jobs.class, "everyTenSeconds", Clock.systemUTC(), twentySeconds).minHoldTime())
			.isEqualTo(Duration.ofSeconds(20));
		LockDefaults twentyMinutes = new LockDefaults(Duration.ofSeconds(30), Duration.ZERO, true, SCHEDULED_LEASE,
				Duration.ofMinutes(20));
		assertThat(operation(Jobs.class, "everyTenSeconds", Clock.systemUTC(), twentyMinutes).minHoldTime())
			.isEqualTo(SCHEDULED_LEASE);
	}

	@Test
	void distributedLockedOnAScheduledMethodOverridesEachAttributeItSets() {
		LockOperation operation = operation(Jobs.class, "overridden");
		assertThat(operation.origin().lockName()).isEqualTo(Jobs.class.getName() + ".overridden");
		assertThat(operation.ifLocked()).isEqualTo(IfLocked.THROW);
		assertThat(operation.leaseTime()).isEqualTo(Duration.ofMinutes(2));
		assertThat(operation.minHoldTime()).isEqualTo(Duration.ofSeconds(1));
		assertThat(operation.scheduled()).isTrue();
	}

	@Test
	void distributedLockedOnAScheduledMethodKeepsTheScheduledDefaultsItDoesNotSet() {
		LockOperation operation = operation(Jobs.class, "partlyOverridden");
		assertThat(operation.ifLocked()).isEqualTo(IfLocked.SKIP);
		assertThat(operation.leaseTime()).isEqualTo(SCHEDULED_LEASE);
		assertThat(operation.minHoldTime()).isZero();
		assertThat(operation.origin().lockName()).isEqualTo("nightly-report");
	}

	@Test
	void runOnEveryNodeOptsAScheduledJobOut() {
		assertThat(operation(Jobs.class, "onEveryNode")).isNull();
	}

	@Test
	void withScheduledLockingOffOnlyExplicitlyLockedJobsAreLocked() {
		LockDefaults off = new LockDefaults(Duration.ofSeconds(30), Duration.ZERO, false, SCHEDULED_LEASE, null);
		assertThat(operation(Jobs.class, "everyTenSeconds", Clock.systemUTC(), off)).isNull();
		assertThat(operation(Jobs.class, "overridden", Clock.systemUTC(), off)).isNotNull();
	}

	private static LockOperation operation(Class<?> type, String method) {
		return operation(type, method, Clock.systemUTC(), LockDefaults.standard());
	}

	private static @Nullable LockOperation operation(Class<?> type, String name, Clock clock, LockDefaults defaults) {
		try (ConfigurableApplicationContext context = TestApplication.on(new InMemoryLockProvider())
			.bean("clock", Clock.class, clock)
			.bean("lockDefaults", LockDefaults.class, defaults)
			.start(type)) {
			Method method = type.getMethod(name);
			return context.getBean(LockOperationSource.class).getOperation(method, type);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Never scheduled here: no {@code @EnableScheduling}. */
	public static class Jobs {

		@Scheduled(fixedRate = 10_000)
		public void everyTenSeconds() {
		}

		@Scheduled(fixedDelayString = "PT4S")
		public void afterFourSeconds() {
		}

		@Scheduled(fixedDelay = 6, timeUnit = TimeUnit.SECONDS)
		public void afterSixSecondsInSeconds() {
		}

		@Scheduled(cron = "*/10 * * * * *")
		public void cronEveryTenSeconds() {
		}

		@Scheduled(cron = "0 0,4 * * * *", zone = "UTC")
		@Scheduled(fixedDelay = 3_600_000)
		public void unevenCron() {
		}

		@Scheduled(fixedDelay = 10_000)
		@Scheduled(fixedRate = 4_000)
		public void twoSchedules() {
		}

		@Scheduled(cron = Scheduled.CRON_DISABLED)
		public void disabledCron() {
		}

		@Scheduled(fixedRate = 10_000)
		@DistributedLocked(ifLocked = IfLocked.THROW, leaseTime = "2m", minHoldTime = "1s")
		public void overridden() {
		}

		@Scheduled(fixedRate = 10_000)
		@DistributedLocked(name = "nightly-report")
		public void partlyOverridden() {
		}

		@Scheduled(fixedRate = 10_000)
		@RunOnEveryNode
		public void onEveryNode() {
		}

	}

}
