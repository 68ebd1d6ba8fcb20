package dev.distlock.aop;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import dev.distlock.LeaderElection;
import dev.distlock.LeaderOnly;

/**
 * At startup, validates every {@link LeaderOnly} method of every bean (failing startup with the
 * method's name) and joins each group they name, so campaigning starts before the first call.
 */
public final class LeaderOnlyMethodValidator implements SmartInitializingSingleton {

	private final ConfigurableListableBeanFactory beanFactory;

	private final LeaderOnlyMethods methods;

	private final Supplier<LeaderElection> election;

	public LeaderOnlyMethodValidator(ConfigurableListableBeanFactory beanFactory, LeaderOnlyMethods methods,
			Supplier<LeaderElection> election) {
		this.beanFactory = beanFactory;
		this.methods = methods;
		this.election = election;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Set<String> groups = new LinkedHashSet<>();
		for (String name : this.beanFactory.getBeanDefinitionNames()) {
			Class<?> type = this.beanFactory.getType(name, false);
			if (type != null) {
				Class<?> userClass = ClassUtils.getUserClass(type);
				ReflectionUtils.doWithMethods(userClass, (method) -> groups.add(this.methods.group(method, userClass)),
						(method) -> AnnotatedElementUtils.hasAnnotation(method, LeaderOnly.class));
			}
		}
		if (!groups.isEmpty()) {
			LeaderElection election = this.election.get();
			groups.forEach(election::join);
		}
	}

}
