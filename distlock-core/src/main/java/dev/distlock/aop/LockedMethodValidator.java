package dev.distlock.aop;

import java.lang.reflect.Method;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.annotation.Schedules;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import dev.distlock.DistributedLocked;
import dev.distlock.RunOnEveryNode;

/**
 * Validates every locked method of every bean once all singletons exist, so a bad annotation fails
 * the application at startup rather than on first call — lazy and prototype beans included (their
 * types are read from the bean definitions, without creating them).
 */
public final class LockedMethodValidator implements SmartInitializingSingleton {

	private final ConfigurableListableBeanFactory beanFactory;

	private final LockOperationSource operations;

	public LockedMethodValidator(ConfigurableListableBeanFactory beanFactory, LockOperationSource operations) {
		this.beanFactory = beanFactory;
		this.operations = operations;
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (String name : this.beanFactory.getBeanDefinitionNames()) {
			Class<?> type = this.beanFactory.getType(name, false);
			if (type != null) {
				validate(ClassUtils.getUserClass(type));
			}
		}
	}

	/** Parses (and so validates) every locked method of the class. */
	public void validate(Class<?> type) {
		ReflectionUtils.doWithMethods(type, (method) -> this.operations.getOperation(method, type),
				LockedMethodValidator::isCandidate);
	}

	private static boolean isCandidate(Method method) {
		return AnnotatedElementUtils.hasAnnotation(method, DistributedLocked.class)
				|| AnnotatedElementUtils.hasAnnotation(method, RunOnEveryNode.class)
				|| AnnotatedElementUtils.hasAnnotation(method, Scheduled.class)
				|| AnnotatedElementUtils.hasAnnotation(method, Schedules.class);
	}

}
