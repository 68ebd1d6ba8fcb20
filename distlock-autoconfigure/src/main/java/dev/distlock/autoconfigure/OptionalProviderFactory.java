package dev.distlock.autoconfigure;

import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import dev.distlock.autoconfigure.DistlockProperties.ProviderType;
import dev.distlock.spi.LockProvider;

/**
 * Loads a {@link ProviderFactory} whose backend library is optional only when that library is on
 * the classpath; otherwise stands in for it and says what is missing.
 */
final class OptionalProviderFactory {

	private OptionalProviderFactory() {
	}

	/**
	 * @param factoryClassName the factory, with a constructor taking (DistlockProperties,
	 * ConfigurableListableBeanFactory, Environment)
	 * @param requiredClasses classes that must be present for the factory to load
	 * @param library what to add, for the message when a class is missing
	 */
	static ProviderFactory of(String factoryClassName, String[] requiredClasses, String library,
			Set<ProviderType> types, ProviderType autoType, DistlockProperties properties,
			ConfigurableListableBeanFactory beanFactory, Environment environment) {
		ClassLoader classLoader = beanFactory.getBeanClassLoader();
		for (String required : requiredClasses) {
			if (!ClassUtils.isPresent(required, classLoader)) {
				return new Missing(types, autoType, library + " is not on the classpath");
			}
		}
		try {
			Class<?> factoryClass = ClassUtils.forName(factoryClassName, classLoader);
			return (ProviderFactory) BeanUtils.instantiateClass(factoryClass.getDeclaredConstructor(
					DistlockProperties.class, ConfigurableListableBeanFactory.class, Environment.class), properties,
					beanFactory, environment);
		}
		catch (ReflectiveOperationException | LinkageError ex) {
			throw new IllegalStateException("Could not load " + factoryClassName, ex);
		}
	}

	private record Missing(Set<ProviderType> types, ProviderType autoType, String reason) implements ProviderFactory {

		@Override
		public @Nullable String unavailableReason() {
			return this.reason;
		}

		@Override
		public LockProvider create(ProviderType type) {
			throw new IllegalStateException(this.reason);
		}

	}

}
