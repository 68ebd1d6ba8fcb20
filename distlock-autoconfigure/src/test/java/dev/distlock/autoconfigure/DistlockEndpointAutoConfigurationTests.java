package dev.distlock.autoconfigure;

import java.lang.management.ManagementFactory;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jmx.JmxEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.distlock.LockHandle;
import dev.distlock.LockRequest;
import dev.distlock.LockTemplate;
import dev.distlock.actuate.LocksEndpoint;
import dev.distlock.actuate.LocksEndpointWebExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the {@code locks} endpoint exists: only where the user exposes it, like every endpoint.
 */
class DistlockEndpointAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DistlockAutoConfiguration.class,
				DistlockEndpointAutoConfiguration.class))
		.withPropertyValues("distlock.provider=in-memory");

	@Test
	void isNotAvailableUnlessExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(LocksEndpoint.class));
	}

	@Test
	void isAvailableWithItsWebExtensionWhenExposedOverHttp() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=locks")
			.run((context) -> assertThat(context).hasSingleBean(LocksEndpoint.class)
				.hasSingleBean(LocksEndpointWebExtension.class));
	}

	@Test
	void isAvailableOverJmxLikeAnyEndpoint() {
		this.runner
			.withConfiguration(AutoConfigurations.of(JmxAutoConfiguration.class, EndpointAutoConfiguration.class,
					JacksonEndpointAutoConfiguration.class, JmxEndpointAutoConfiguration.class))
			.withPropertyValues("spring.jmx.enabled=true", "spring.jmx.unique-names=true",
					"management.endpoints.jmx.exposure.include=locks", "distlock.instance-id=jmx-node")
			.run((context) -> {
				assertThat(context).hasSingleBean(LocksEndpoint.class).doesNotHaveBean(LocksEndpointWebExtension.class);
				MBeanServer server = ManagementFactory.getPlatformMBeanServer();
				ObjectName name = server.queryNames(new ObjectName("org.springframework.boot:type=Endpoint,name=Locks,*"), null)
					.iterator()
					.next();
				try (LockHandle held = context.getBean(LockTemplate.class).acquire(LockRequest.of("jmx:1"))) {
					Map<?, ?> locks = (Map<?, ?>) server.invoke(name, "locks", new Object[0], new String[0]);
					assertThat(locks.get("instance")).isEqualTo("jmx-node");
					assertThat(locks.get("held").toString()).contains("lock=jmx:1");
				}
			});
	}

	@Test
	void backsOffWithoutActuator() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=locks")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LocksEndpoint.class));
	}

	@Test
	void backsOffWhenDistlockIsDisabled() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=locks", "distlock.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LocksEndpoint.class));
	}

}
