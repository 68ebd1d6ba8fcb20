package dev.distlock.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.distlock.actuate.DistlockHealthIndicator;
import dev.distlock.actuate.LeadershipHealthIndicator;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngines;
import dev.distlock.leader.LockLeaderElection;

/**
 * The {@code distlock} health contributor: one indicator for the lock backend, or one per
 * {@code LockProvider} bean (by bean name) when there are several.
 */
@AutoConfiguration(after = DistlockAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.health.contributor.HealthIndicator",
		"org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator" })
public final class DistlockHealthContributorAutoConfiguration {

	// Nested so the health condition classes load only once the outer class check passed.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(LockEngines.class)
	@ConditionalOnEnabledHealthIndicator("distlock")
	static class DistlockHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = { "distlockHealthIndicator", "distlockHealthContributor" })
		HealthContributor distlockHealthContributor(LockEngines engines) {
			if (engines.providerNames().size() == 1) {
				return new DistlockHealthIndicator(engines.primary());
			}
			Map<String, LockEngine> byName = new LinkedHashMap<>();
			engines.providerNames().stream().sorted().forEach((name) -> byName.put(name, engines.forProvider(name)));
			return CompositeHealthContributor.fromMap(byName, DistlockHealthIndicator::new);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(LockLeaderElection.class)
	@ConditionalOnEnabledHealthIndicator("distlockLeadership")
	static class LeadershipHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "distlockLeadershipHealthIndicator")
		LeadershipHealthIndicator distlockLeadershipHealthIndicator(LockLeaderElection election) {
			return new LeadershipHealthIndicator(election);
		}

	}

}
