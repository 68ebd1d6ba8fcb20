package dev.distlock.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import dev.distlock.actuate.DistlockHealthIndicator;
import dev.distlock.memory.InMemoryLockProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the {@code distlock} health contributor exists and what it is made of.
 */
class DistlockHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DistlockAutoConfiguration.class, DistlockHealthContributorAutoConfiguration.class));

	@Test
	void checksTheBackendOfTheOneProvider() {
		this.runner.withPropertyValues("distlock.provider=in-memory").run((context) -> {
			assertThat(context).hasSingleBean(DistlockHealthIndicator.class);
			DistlockHealthIndicator indicator = context.getBean("distlockHealthContributor", DistlockHealthIndicator.class);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void checksEachProviderByBeanNameWhenThereAreSeveral() {
		this.runner.withUserConfiguration(TwoProviders.class).run((context) -> {
			HealthContributor contributor = context.getBean("distlockHealthContributor", HealthContributor.class);
			assertThat(contributor).isInstanceOf(CompositeHealthContributor.class);
			CompositeHealthContributor composite = (CompositeHealthContributor) contributor;
			assertThat(composite.getContributor("mainProvider")).isInstanceOf(DistlockHealthIndicator.class);
			assertThat(composite.getContributor("otherProvider")).isInstanceOf(DistlockHealthIndicator.class);
		});
	}

	@Test
	void canBeDisabledLikeAnyHealthIndicator() {
		this.runner.withPropertyValues("distlock.provider=in-memory", "management.health.distlock.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("distlockHealthContributor"));
	}

	@Test
	void backsOffWithoutSpringBootHealth() {
		this.runner.withPropertyValues("distlock.provider=in-memory")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("distlockHealthContributor"));
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoProviders {

		@Bean
		@Primary
		InMemoryLockProvider mainProvider() {
			return new InMemoryLockProvider();
		}

		@Bean
		InMemoryLockProvider otherProvider() {
			return new InMemoryLockProvider();
		}

	}

}
