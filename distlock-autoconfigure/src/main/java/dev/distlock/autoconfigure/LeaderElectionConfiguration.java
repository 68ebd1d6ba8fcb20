package dev.distlock.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.distlock.LeaderElection;
import dev.distlock.aop.LeaderOnlyConfiguration;
import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LockEngines;
import dev.distlock.leader.LockLeaderElection;

/**
 * The {@link LeaderElection} bean on the primary lock provider, with {@code distlock.leader.*},
 * and the interception of {@code @LeaderOnly} methods.
 */
@Configuration(proxyBeanMethods = false)
@Import(LeaderOnlyConfiguration.class)
class LeaderElectionConfiguration {

	@Bean
	@ConditionalOnMissingBean(LeaderElection.class)
	LockLeaderElection distlockLeaderElection(LockEngines engines, EngineSettings settings,
			DistlockProperties properties, ApplicationEventPublisher publisher) {
		return new LockLeaderElection(engines.primary().provider(), settings.instanceId(),
				properties.getLeader().getLeaseTime(), publisher);
	}

}
