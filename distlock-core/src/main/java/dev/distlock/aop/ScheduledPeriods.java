package dev.distlock.aop;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.util.StringUtils;
import org.springframework.util.StringValueResolver;

import dev.distlock.LockConfigurationException;

/**
 * The period of a {@code @Scheduled} job, from which its default minimum hold time (half the
 * period) is derived: for cron, the gap between its next two fire times; for fixed rate or delay,
 * the interval.
 */
public final class ScheduledPeriods {

	private final @Nullable StringValueResolver valueResolver;

	private final Supplier<Clock> clock;

	public ScheduledPeriods(@Nullable StringValueResolver valueResolver, Clock clock) {
		this(valueResolver, () -> clock);
	}

	/**
	 * @param clock the application's clock, looked up when first needed (this object is created while
	 * bean post-processors are set up, too early to create an application's {@code Clock} bean)
	 */
	public ScheduledPeriods(@Nullable StringValueResolver valueResolver, Supplier<Clock> clock) {
		this.valueResolver = valueResolver;
		this.clock = clock;
	}

	/** The shortest period among the method's schedules, if any has one. */
	Optional<Duration> shortestPeriod(Set<Scheduled> schedules, String subject) {
		Duration shortest = null;
		for (Scheduled scheduled : schedules) {
			Duration period = period(scheduled, subject);
			if (period != null && (shortest == null || period.compareTo(shortest) < 0)) {
				shortest = period;
			}
		}
		return Optional.ofNullable(shortest);
	}

	private @Nullable Duration period(Scheduled scheduled, String subject) {
		String cron = resolve(scheduled.cron());
		if (StringUtils.hasText(cron)) {
			if (Scheduled.CRON_DISABLED.equals(cron)) {
				return null;
			}
			return cronGap(cron, resolve(scheduled.zone()), subject);
		}
		Duration rate = interval(scheduled.fixedRate(), scheduled.fixedRateString(), scheduled, subject);
		return (rate != null) ? rate : interval(scheduled.fixedDelay(), scheduled.fixedDelayString(), scheduled, subject);
	}

	private Duration cronGap(String cron, String zone, String subject) {
		try {
			CronExpression expression = CronExpression.parse(cron);
			Clock clock = this.clock.get();
			ZoneId zoneId = StringUtils.hasText(zone) ? ZoneId.of(zone) : clock.getZone();
			ZonedDateTime first = expression.next(ZonedDateTime.now(clock.withZone(zoneId)));
			ZonedDateTime second = (first != null) ? expression.next(first) : null;
			return (first != null && second != null) ? Duration.between(first, second) : Duration.ZERO;
		}
		catch (RuntimeException ex) {
			throw new LockConfigurationException(subject + ": cron '" + cron + "' is not a cron expression", ex);
		}
	}

	private @Nullable Duration interval(long value, String text, Scheduled scheduled, String subject) {
		if (value >= 0) {
			return Duration.of(value, scheduled.timeUnit().toChronoUnit());
		}
		String resolved = resolve(text);
		if (!StringUtils.hasText(resolved)) {
			return null;
		}
		try {
			return Duration.of(Long.parseLong(resolved.trim()), scheduled.timeUnit().toChronoUnit());
		}
		catch (NumberFormatException notANumber) {
			try {
				return DurationFormatterUtils.detectAndParse(resolved.trim());
			}
			catch (RuntimeException ex) {
				throw new LockConfigurationException(subject + ": @Scheduled interval '" + resolved
						+ "' is not a duration", ex);
			}
		}
	}

	private String resolve(String value) {
		if (this.valueResolver == null || value.isEmpty()) {
			return value;
		}
		String resolved = this.valueResolver.resolveStringValue(value);
		return (resolved != null) ? resolved : value;
	}

}
