package dev.distlock.aop;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

import dev.distlock.LeaderElection;

/**
 * The interception of {@link dev.distlock.LeaderOnly} methods: infrastructure beans that reach the
 * {@link LeaderElection} bean lazily, so the advisor does not create it (and the provider) early.
 */
@Configuration(proxyBeanMethods = false)
@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
public class LeaderOnlyConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static LeaderOnlyMethods distlockLeaderOnlyMethods(ConfigurableListableBeanFactory beanFactory) {
		return new LeaderOnlyMethods(new EmbeddedValueResolver(beanFactory));
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static LeaderOnlyAdvisor distlockLeaderOnlyAdvisor(LeaderOnlyMethods distlockLeaderOnlyMethods,
			ObjectProvider<LeaderElection> election) {
		return new LeaderOnlyAdvisor(distlockLeaderOnlyMethods,
				new LeaderOnlyInterceptor(distlockLeaderOnlyMethods, election::getObject));
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static LeaderOnlyMethodValidator distlockLeaderOnlyMethodValidator(ConfigurableListableBeanFactory beanFactory,
			LeaderOnlyMethods distlockLeaderOnlyMethods, ObjectProvider<LeaderElection> election) {
		return new LeaderOnlyMethodValidator(beanFactory, distlockLeaderOnlyMethods, election::getObject);
	}

}
