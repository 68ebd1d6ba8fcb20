package dev.distlock.aop.scheduling;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.annotation.Schedules;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.util.StringUtils;
import org.springframework.util.StringValueResolver;

import dev.distlock.LockConfigurationException;

/**
 * The {@link FireSchedule} of each {@code @Scheduled} method, read from its annotations the way
 * Spring's {@code ScheduledAnnotationBeanPostProcessor} reads them (placeholders resolved, cron in the
 * annotation's zone or the JVM's default one) and cached per method. A method with a fixed-delay
 * schedule has no shared tick (each instance's next run depends on when its last one ended), so it
 * has no fire schedule: it gets mutual exclusion and the minimum hold only.
 */
public final class FireScheduleSource {

	private final @Nullable StringValueResolver valueResolver;

	private final Duration lateTolerance;

	private final Map<Method, Optional<FireSchedule>> schedules = new ConcurrentHashMap<>();

	/**
	 * @param valueResolver resolves {@code ${...}} placeholders in the annotations, or {@code null}
	 * @param lateTolerance how late a cron run may start after its fire time and still be that tick's run
	 */
	public FireScheduleSource(@Nullable StringValueResolver valueResolver, Duration lateTolerance) {
		this.valueResolver = valueResolver;
		this.lateTolerance = lateTolerance;
	}

	/** The method's fire schedule, or empty if it is not scheduled or has no shared tick. */
	public Optional<FireSchedule> scheduleOf(Method method) {
		return this.schedules.computeIfAbsent(method, this::parse);
	}

	/**
	 * Whether every schedule gives ticks all instances share (cron, fixed rate), so runs can claim
	 * their fire slot; {@code false} if any is fixed-delay or a one-time task.
	 */
	public static boolean hasSharedTicks(Set<Scheduled> schedules) {
		return !schedules.isEmpty() && schedules.stream()
			.allMatch((scheduled) -> !scheduled.cron().isEmpty() || scheduled.fixedRate() >= 0
					|| !scheduled.fixedRateString().isEmpty());
	}

	private Optional<FireSchedule> parse(Method method) {
		Set<Scheduled> annotations = AnnotatedElementUtils.getMergedRepeatableAnnotations(method, Scheduled.class,
				Schedules.class);
		if (!hasSharedTicks(annotations)) {
			return Optional.empty();
		}
		List<FireSchedule> parsed = new ArrayList<>();
		for (Scheduled scheduled : annotations) {
			FireSchedule schedule = parse(scheduled, method);
			if (schedule != null) {
				parsed.add(schedule);
			}
		}
		if (parsed.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of((parsed.size() == 1) ? parsed.get(0) : new CompositeFireSchedule(parsed));
	}

	private @Nullable FireSchedule parse(Scheduled scheduled, Method method) {
		String cron = resolve(scheduled.cron());
		if (StringUtils.hasText(cron)) {
			if (Scheduled.CRON_DISABLED.equals(cron)) {
				return null;
			}
			String zone = resolve(scheduled.zone());
			try {
				ZoneId zoneId = StringUtils.hasText(zone) ? StringUtils.parseTimeZoneString(zone).toZoneId()
						: TimeZone.getDefault().toZoneId();
				return new CronFireSchedule(CronExpression.parse(cron), zoneId, this.lateTolerance);
			}
			catch (RuntimeException ex) {
				throw new LockConfigurationException("@Scheduled on " + method + ": cron '" + cron + "' in zone '"
						+ zone + "' is not a cron expression", ex);
			}
		}
		return new FixedRateFireSchedule(fixedRate(scheduled, method));
	}

	private Duration fixedRate(Scheduled scheduled, Method method) {
		if (scheduled.fixedRate() >= 0) {
			return Duration.of(scheduled.fixedRate(), scheduled.timeUnit().toChronoUnit());
		}
		String text = resolve(scheduled.fixedRateString()).trim();
		try {
			return Duration.of(Long.parseLong(text), scheduled.timeUnit().toChronoUnit());
		}
		catch (NumberFormatException notANumber) {
			try {
				return DurationFormatterUtils.detectAndParse(text);
			}
			catch (RuntimeException ex) {
				throw new LockConfigurationException(
						"@Scheduled on " + method + ": fixedRate '" + text + "' is not a duration", ex);
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
