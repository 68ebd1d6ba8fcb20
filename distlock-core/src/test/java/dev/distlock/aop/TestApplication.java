package dev.distlock.aop;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

import dev.distlock.spi.LockProvider;

/**
 * Starts one application instance: the shared {@link LockingTestConfiguration}, the given lock
 * provider as the primary provider bean, properties, extra bean instances and the test's components.
 * Instances started on one provider are instances of one cluster.
 */
final class TestApplication {

	private final AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();

	private final Map<String, Object> properties = new LinkedHashMap<>();

	private TestApplication(LockProvider provider) {
		this.context.registerBean(LockingTestConfiguration.PRIMARY_PROVIDER, LockProvider.class, () -> provider,
				(definition) -> definition.setPrimary(true));
	}

	static TestApplication on(LockProvider provider) {
		return new TestApplication(provider);
	}

	TestApplication property(String name, Object value) {
		this.properties.put(name, value);
		return this;
	}

	<T> TestApplication bean(String name, Class<T> type, T instance) {
		this.context.registerBean(name, type, () -> instance);
		return this;
	}

	AnnotationConfigApplicationContext start(Class<?>... components) {
		this.context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", this.properties));
		this.context.register(LockingTestConfiguration.class);
		this.context.register(components);
		this.context.refresh();
		return this.context;
	}

}
