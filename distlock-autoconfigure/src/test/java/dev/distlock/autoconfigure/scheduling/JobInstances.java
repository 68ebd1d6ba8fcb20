package dev.distlock.autoconfigure.scheduling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/** Starts and closes instances of the {@link JobApplication} in this JVM, all recording into one {@link JobRuns}. */
final class JobInstances implements AutoCloseable {

	private final JobRuns runs;

	private final Class<?>[] backendConfiguration;

	private final String[] backendProperties;

	private final java.util.function.Consumer<GenericApplicationContext> contribution;

	private final Map<String, ConfigurableApplicationContext> started = new LinkedHashMap<>();

	JobInstances(JobRuns runs, Class<?>[] backendConfiguration, String[] backendProperties,
			java.util.function.Consumer<GenericApplicationContext> contribution) {
		this.runs = runs;
		this.backendConfiguration = backendConfiguration;
		this.backendProperties = backendProperties;
		this.contribution = contribution;
	}

	ConfigurableApplicationContext start(String name, Duration clockOffset, String... properties) {
		List<Class<?>> sources = new ArrayList<>(List.of(this.backendConfiguration));
		sources.add(JobApplication.class);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "spring.main.log-startup-info=false", "test.instance=" + name,
					"test.clock-offset=" + clockOffset.toMillis() + "ms")
			.properties(this.backendProperties)
			.properties(properties)
			.initializers((initialized) -> {
				GenericApplicationContext generic = (GenericApplicationContext) initialized;
				generic.registerBean(JobRuns.class, () -> this.runs);
				this.contribution.accept(generic);
			})
			.run();
		this.started.put(name, context);
		return context;
	}

	ConfigurableApplicationContext get(String name) {
		return this.started.get(name);
	}

	Map<String, ConfigurableApplicationContext> running() {
		return Map.copyOf(this.started);
	}

	void close(String name) {
		ConfigurableApplicationContext context = this.started.remove(name);
		if (context != null) {
			context.close();
		}
	}

	/** Closes every instance, in parallel: each may wait out its slot claims. */
	@Override
	public void close() {
		List<ConfigurableApplicationContext> contexts = new ArrayList<>(this.started.values());
		this.started.clear();
		contexts.parallelStream().forEach(ConfigurableApplicationContext::close);
	}

}
