package dev.distlock.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * The bean an injection point of a type would get, judged from bean definitions only (as Spring
 * Boot's {@code @ConditionalOnSingleCandidate} does): the only bean of the type, or the one that
 * is {@code @Primary}.
 */
final class SingleCandidate {

	private SingleCandidate() {
	}

	/** The beans of the type, without creating any; none if the type is not on the classpath. */
	static String[] beanNames(ConfigurableListableBeanFactory beanFactory, String typeName,
			@Nullable ClassLoader classLoader) {
		if (!ClassUtils.isPresent(typeName, classLoader)) {
			return new String[0];
		}
		Class<?> type = ClassUtils.resolveClassName(typeName, classLoader);
		return BeanFactoryUtils.beanNamesForTypeIncludingAncestors(beanFactory, type, true, false);
	}

	/** The single candidate among the names, or {@code null} if there are several and none is primary. */
	static @Nullable String of(ConfigurableListableBeanFactory beanFactory, String[] names) {
		if (names.length == 1) {
			return names[0];
		}
		String primary = null;
		for (String name : names) {
			if (beanFactory.containsBeanDefinition(name) && beanFactory.getBeanDefinition(name).isPrimary()) {
				if (primary != null) {
					return null;
				}
				primary = name;
			}
		}
		return primary;
	}

}
