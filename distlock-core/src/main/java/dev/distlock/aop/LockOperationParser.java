package dev.distlock.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.annotation.Schedules;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.StringValueResolver;

import dev.distlock.DistributedLocked;
import dev.distlock.IfLocked;
import dev.distlock.LockConfigurationException;
import dev.distlock.LeaderOnly;
import dev.distlock.RunOnEveryNode;
import dev.distlock.aop.scheduling.FireScheduleSource;
import dev.distlock.engine.LockOrigin;

/**
 * Turns a method's {@link DistributedLocked} / {@code @Scheduled} / {@link RunOnEveryNode}
 * annotations into a validated {@link LockOperation}, resolving {@code ${...}} placeholders and
 * defaults. Every problem is a {@link LockConfigurationException} that names the method and the
 * attribute, thrown while the application starts.
 */
public final class LockOperationParser {

	private final LockDefaults defaults;

	private final @Nullable StringValueResolver valueResolver;

	private final SpelExpressionParser expressionParser;

	private final Predicate<String> providerExists;

	private final ScheduledPeriods periods;

	/**
	 * @param defaults the {@code distlock.*} defaults
	 * @param valueResolver resolves {@code ${...}} placeholders in attributes, or {@code null}
	 * @param expressionParser parses key expressions
	 * @param providerExists whether a {@code LockProvider} bean of the given name exists
	 * @param periods computes a {@code @Scheduled} job's period
	 */
	public LockOperationParser(LockDefaults defaults, @Nullable StringValueResolver valueResolver,
			SpelExpressionParser expressionParser, Predicate<String> providerExists, ScheduledPeriods periods) {
		this.defaults = defaults;
		this.valueResolver = valueResolver;
		this.expressionParser = expressionParser;
		this.providerExists = providerExists;
		this.periods = periods;
	}

	/**
	 * The lock operation of the method, or {@code null} if it is not locked.
	 * @param method the most specific method (on the user class)
	 * @param targetClass the user class
	 */
	public @Nullable LockOperation parse(Method method, Class<?> targetClass) {
		DistributedLocked locked = AnnotatedElementUtils.findMergedAnnotation(method, DistributedLocked.class);
		boolean onEveryNode = AnnotatedElementUtils.hasAnnotation(method, RunOnEveryNode.class);
		// A @LeaderOnly job runs every tick on the leader: it replaces the per-run lock.
		boolean leaderOnly = AnnotatedElementUtils.hasAnnotation(method, LeaderOnly.class);
		Set<Scheduled> schedules = AnnotatedElementUtils.getMergedRepeatableAnnotations(method, Scheduled.class,
				Schedules.class);
		boolean scheduled = !schedules.isEmpty();
		String subject = ((locked != null) ? "@DistributedLocked" : "@Scheduled") + " on "
				+ describe(method, targetClass);
		if (locked != null && onEveryNode) {
			throw new LockConfigurationException(
					subject + ": @RunOnEveryNode and @DistributedLocked exclude each other; remove one");
		}
		if (locked == null && (!scheduled || onEveryNode || leaderOnly || !this.defaults.scheduledEnabled())) {
			return null;
		}
		checkInterceptable(method, targetClass, subject, locked == null);
		String lockName = (locked != null && !locked.name().isEmpty()) ? resolve(subject, "name", locked.name())
				: ClassUtils.getUserClass(targetClass).getName() + "." + method.getName();
		if (!StringUtils.hasText(lockName)) {
			throw new LockConfigurationException(subject + ": name resolves to a blank value");
		}
		Expression key = (locked != null) ? parseKey(subject, locked.key()) : null;
		Duration leaseTime = duration(subject, "leaseTime", (locked != null) ? locked.leaseTime() : "",
				scheduled ? this.defaults.scheduledLeaseTime() : this.defaults.leaseTime());
		if (leaseTime.isZero() || leaseTime.isNegative()) {
			throw new LockConfigurationException(subject + ": leaseTime must be positive, was " + leaseTime);
		}
		Duration waitTime = duration(subject, "waitTime", (locked != null) ? locked.waitTime() : "",
				scheduled ? Duration.ZERO : this.defaults.waitTime());
		notNegative(subject, "waitTime", waitTime);
		Duration minHoldTime = minHoldTime(subject, locked, scheduled ? schedules : Set.of(), leaseTime);
		IfLocked ifLocked = (locked == null || locked.ifLocked() == IfLocked.DEFAULT)
				? (scheduled ? IfLocked.SKIP : IfLocked.THROW) : locked.ifLocked();
		String provider = (locked != null && !locked.provider().isEmpty()) ? resolve(subject, "provider", locked.provider())
				: null;
		if (provider != null && !this.providerExists.test(provider)) {
			throw new LockConfigurationException(
					subject + ": provider '" + provider + "' is not the name of a LockProvider bean");
		}
		int permits = (locked != null) ? locked.permits() : 1;
		if (permits < 1) {
			throw new LockConfigurationException(subject + ": permits must be at least 1, was " + permits);
		}
		String source = ClassUtils.getUserClass(targetClass).getName() + "." + method.getName();
		return new LockOperation(new LockOrigin(lockName, source), key, leaseTime, waitTime, minHoldTime, ifLocked,
				(locked == null) || locked.autoRenew(), provider, scheduled, permits);
	}

	private Duration minHoldTime(String subject, @Nullable DistributedLocked locked, Set<Scheduled> schedules,
			Duration leaseTime) {
		if (locked != null && !locked.minHoldTime().isEmpty()) {
			Duration explicit = duration(subject, "minHoldTime", locked.minHoldTime(), Duration.ZERO);
			notNegative(subject, "minHoldTime", explicit);
			if (explicit.compareTo(leaseTime) > 0) {
				throw new LockConfigurationException(subject + ": minHoldTime " + explicit
						+ " is longer than leaseTime " + leaseTime + "; the lock would expire before it");
			}
			return explicit;
		}
		if (schedules.isEmpty()) {
			return Duration.ZERO;
		}
		Duration configured = this.defaults.scheduledMinHoldTime();
		if (configured == null) {
			Optional<Duration> period = this.periods.shortestPeriod(schedules, subject); // validates the schedules
			if (FireScheduleSource.hasSharedTicks(schedules)) {
				// The slot claim makes each tick run once; a hold would only make the next tick skip on an
				// instance whose clock runs ahead.
				return Duration.ZERO;
			}
			configured = period.map((half) -> half.dividedBy(2)).orElse(Duration.ZERO);
		}
		return (configured.compareTo(leaseTime) > 0) ? leaseTime : configured;
	}

	private void checkInterceptable(Method method, Class<?> targetClass, String subject, boolean scheduledOnly) {
		String problem = null;
		if (Modifier.isPrivate(method.getModifiers())) {
			problem = "is private";
		}
		else if (Modifier.isStatic(method.getModifiers())) {
			problem = "is static";
		}
		else if (Modifier.isFinal(method.getModifiers())) {
			problem = "is final";
		}
		else if (Modifier.isFinal(ClassUtils.getUserClass(targetClass).getModifiers())) {
			problem = "is declared in a final class";
		}
		if (problem != null) {
			throw new LockConfigurationException(subject + ": the method " + problem
					+ ", so the lock proxy cannot intercept it and it would run without its lock"
					+ (scheduledOnly ? "; make it non-private, non-final and non-static, or mark it @RunOnEveryNode"
							: "; make it a public, non-final instance method"));
		}
	}

	private @Nullable Expression parseKey(String subject, String key) {
		if (key.isBlank()) {
			return null;
		}
		try {
			return this.expressionParser.parseExpression(key);
		}
		catch (ParseException ex) {
			throw new LockConfigurationException(
					subject + ": key '" + key + "' is not a valid SpEL expression: " + ex.getMessage(), ex);
		}
	}

	private Duration duration(String subject, String attribute, String value, Duration fallback) {
		if (value.isEmpty()) {
			return fallback;
		}
		String resolved = resolve(subject, attribute, value);
		try {
			return DurationFormatterUtils.detectAndParse(resolved.trim());
		}
		catch (RuntimeException ex) {
			throw new LockConfigurationException(subject + ": " + attribute + " '" + resolved
					+ "' is not a duration (use e.g. 30s, 5m, 500ms or PT30S)", ex);
		}
	}

	private static void notNegative(String subject, String attribute, Duration value) {
		if (value.isNegative()) {
			throw new LockConfigurationException(subject + ": " + attribute + " must not be negative, was " + value);
		}
	}

	private String resolve(String subject, String attribute, String value) {
		if (this.valueResolver == null) {
			return value;
		}
		try {
			String resolved = this.valueResolver.resolveStringValue(value);
			return (resolved != null) ? resolved : value;
		}
		catch (RuntimeException ex) {
			throw new LockConfigurationException(
					subject + ": " + attribute + " '" + value + "' could not be resolved: " + ex.getMessage(), ex);
		}
	}

	/** {@code com.example.Billing.charge(long)}. */
	static String describe(Method method, Class<?> targetClass) {
		StringBuilder description = new StringBuilder(ClassUtils.getUserClass(targetClass).getName()).append('.')
			.append(method.getName())
			.append('(');
		Class<?>[] parameters = method.getParameterTypes();
		for (int i = 0; i < parameters.length; i++) {
			description.append((i > 0) ? ", " : "").append(parameters[i].getSimpleName());
		}
		return description.append(')').toString();
	}

}
