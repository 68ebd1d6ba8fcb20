package dev.distlock.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.StringValueResolver;

import dev.distlock.LeaderOnly;
import dev.distlock.LockConfigurationException;
import dev.distlock.RunOnEveryNode;

/**
 * The group of each {@link LeaderOnly} method, resolved and validated once per method (at startup
 * by {@link LeaderOnlyMethodValidator}) and cached.
 */
public final class LeaderOnlyMethods {

	/** The group of {@code @LeaderOnly} without one. */
	static final String DEFAULT_GROUP = "${spring.application.name:default}";

	private final @Nullable StringValueResolver resolver;

	private final Map<MethodClassKey, Optional<String>> groups = new ConcurrentHashMap<>();

	public LeaderOnlyMethods(@Nullable StringValueResolver resolver) {
		this.resolver = resolver;
	}

	/**
	 * The group the method runs as the leader of, or {@code null} if it is not {@code @LeaderOnly}.
	 * @throws LockConfigurationException naming the method if its {@code @LeaderOnly} is invalid
	 */
	public @Nullable String group(Method method, @Nullable Class<?> targetClass) {
		Class<?> type = (targetClass != null) ? targetClass : method.getDeclaringClass();
		return this.groups.computeIfAbsent(new MethodClassKey(method, type), (key) -> Optional.ofNullable(parse(method, type)))
			.orElse(null);
	}

	private @Nullable String parse(Method method, Class<?> targetClass) {
		Method specific = ClassUtils.getMostSpecificMethod(method, targetClass);
		LeaderOnly leaderOnly = AnnotatedElementUtils.findMergedAnnotation(specific, LeaderOnly.class);
		if (leaderOnly == null) {
			return null;
		}
		String subject = "@LeaderOnly on " + LockOperationParser.describe(specific, targetClass);
		if (AnnotatedElementUtils.hasAnnotation(specific, RunOnEveryNode.class)) {
			throw new LockConfigurationException(subject + ": @RunOnEveryNode and @LeaderOnly exclude each other; remove one");
		}
		String problem = Modifier.isPrivate(specific.getModifiers()) ? "is private"
				: Modifier.isStatic(specific.getModifiers()) ? "is static"
						: Modifier.isFinal(specific.getModifiers()) ? "is final"
								: Modifier.isFinal(ClassUtils.getUserClass(targetClass).getModifiers())
										? "is declared in a final class" : null;
		if (problem != null) {
			throw new LockConfigurationException(subject + ": the method " + problem
					+ ", so the proxy cannot intercept it and it would run on every instance; "
					+ "make it non-private, non-final and non-static");
		}
		String declared = leaderOnly.group().isEmpty() ? DEFAULT_GROUP : leaderOnly.group();
		String group;
		try {
			group = (this.resolver != null) ? this.resolver.resolveStringValue(declared) : declared;
		}
		catch (IllegalArgumentException ex) {
			throw new LockConfigurationException(subject + ": group '" + declared + "' cannot be resolved: "
					+ ex.getMessage(), ex);
		}
		if (!StringUtils.hasText(group) || group.contains("${")) {
			throw new LockConfigurationException(subject + ": group '" + declared + "' resolves to a blank value");
		}
		return group.trim();
	}

}
