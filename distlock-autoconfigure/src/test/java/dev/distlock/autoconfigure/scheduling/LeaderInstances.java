package dev.distlock.autoconfigure.scheduling;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import dev.distlock.LeaderElection;
import dev.distlock.Leadership;

/** Starts and closes instances of the {@link LeaderApplication} in this JVM, all recording into one {@link LeaderRuns}. */
final class LeaderInstances implements AutoCloseable {

	private final LeaderRuns runs;

	private final Class<?>[] backendConfiguration;

	private final String[] backendProperties;

	private final Consumer<GenericApplicationContext> contribution;

	private final Map<String, ConfigurableApplicationContext> started = new LinkedHashMap<>();

	private final String group;

	LeaderInstances(LeaderRuns runs, String group, Class<?>[] backendConfiguration, String[] backendProperties,
			Consumer<GenericApplicationContext> contribution) {
		this.runs = runs;
		this.group = group;
		this.backendConfiguration = backendConfiguration;
		this.backendProperties = backendProperties;
		this.contribution = contribution;
	}

	ConfigurableApplicationContext start(String name) {
		List<Class<?>> sources = new ArrayList<>(List.of(this.backendConfiguration));
		sources.add(LeaderApplication.class);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "spring.main.log-startup-info=false", "test.instance=" + name,
					"test.group=" + this.group, "distlock.leader.lease-time=3s")
			.properties(this.backendProperties)
			.initializers((initialized) -> {
				GenericApplicationContext generic = (GenericApplicationContext) initialized;
				generic.registerBean(LeaderRuns.class, () -> this.runs);
				this.contribution.accept(generic);
			})
			.run();
		synchronized (this.started) {
			this.started.put(name, context);
		}
		return context;
	}

	/** The group membership of each running instance. */
	Map<String, Leadership> memberships() {
		Map<String, Leadership> memberships = new LinkedHashMap<>();
		synchronized (this.started) {
			this.started.forEach((name, context) -> {
				context.getBean(LeaderElection.class).joined().stream()
					.filter((joined) -> joined.group().equals(this.group))
					.findFirst()
					.ifPresent((joined) -> memberships.put(name, joined));
			});
		}
		return memberships;
	}

	void close(String name) {
		ConfigurableApplicationContext context;
		synchronized (this.started) {
			context = this.started.remove(name);
		}
		if (context != null) {
			context.close();
		}
	}

	@Override
	public void close() {
		List<ConfigurableApplicationContext> contexts;
		synchronized (this.started) {
			contexts = new ArrayList<>(this.started.values());
			this.started.clear();
		}
		contexts.parallelStream().forEach(ConfigurableApplicationContext::close);
	}

}
