package dev.distlock.autoconfigure;

import java.time.Clock;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.expression.spel.SpelCompilerMode;
import org.springframework.expression.spel.SpelParserConfiguration;
import org.springframework.expression.spel.standard.SpelExpressionParser;

import dev.distlock.aop.DistributedLockAdvisor;
import dev.distlock.aop.DistributedLockInterceptor;
import dev.distlock.aop.LockDefaults;
import dev.distlock.aop.LockKeyEvaluator;
import dev.distlock.aop.LockOperationParser;
import dev.distlock.aop.LockOperationSource;
import dev.distlock.aop.LockedMethodValidator;
import dev.distlock.aop.ScheduledPeriods;
import dev.distlock.aop.scheduling.SlotClaims;
import dev.distlock.engine.LockEngines;
import dev.distlock.spi.LockProvider;

/**
 * The interception of {@code @DistributedLocked} and {@code @Scheduled} methods. Infrastructure
 * beans, created while bean post-processors are set up (like Spring's cache and transaction
 * advisors), so they bind {@code distlock.*} from the environment themselves and reach the engines
 * lazily.
 */
@Configuration(proxyBeanMethods = false)
@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
@Import(LockInterceptionConfiguration.ClassProxyingRegistrar.class)
class LockInterceptionConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static LockOperationSource distlockLockOperationSource(Environment environment,
			ConfigurableListableBeanFactory beanFactory, ObjectProvider<Clock> clock) {
		DistlockProperties properties = DistlockPropertiesValidator
			.validate(Binder.get(environment).bindOrCreate("distlock", DistlockProperties.class));
		DistlockProperties.Scheduled scheduled = properties.getScheduled();
		LockDefaults defaults = new LockDefaults(properties.getLeaseTime(), properties.getWaitTime(),
				scheduled.isEnabled(), properties.scheduledLeaseTime(), scheduled.getMinHoldTime());
		EmbeddedValueResolver resolver = new EmbeddedValueResolver(beanFactory);
		SpelExpressionParser parser = new SpelExpressionParser(
				new SpelParserConfiguration(SpelCompilerMode.MIXED, LockInterceptionConfiguration.class.getClassLoader()));
		return new LockOperationSource(new LockOperationParser(defaults, resolver, parser,
				(name) -> beanFactory.containsBean(name) && beanFactory.isTypeMatch(name, LockProvider.class),
				new ScheduledPeriods(resolver, () -> clock.getIfAvailable(Clock::systemUTC))));
	}

	/** Claims the fire slots of scheduled runs; a lifecycle bean so shutdown waits out held claims. */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static SlotClaims distlockSlotClaims(Environment environment, ConfigurableListableBeanFactory beanFactory) {
		DistlockProperties properties = DistlockPropertiesValidator
			.validate(Binder.get(environment).bindOrCreate("distlock", DistlockProperties.class));
		return new SlotClaims(new EmbeddedValueResolver(beanFactory), properties.getScheduled().getMaxClockSkew());
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static DistributedLockAdvisor distlockLockAdvisor(LockOperationSource distlockLockOperationSource,
			ConfigurableListableBeanFactory beanFactory, ObjectProvider<LockEngines> engines,
			SlotClaims distlockSlotClaims) {
		DistributedLockInterceptor interceptor = new DistributedLockInterceptor(distlockLockOperationSource,
				new LockKeyEvaluator(beanFactory), engines::getObject, distlockSlotClaims);
		return new DistributedLockAdvisor(distlockLockOperationSource, interceptor);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static LockedMethodValidator distlockLockedMethodValidator(ConfigurableListableBeanFactory beanFactory,
			LockOperationSource distlockLockOperationSource) {
		return new LockedMethodValidator(beanFactory, distlockLockOperationSource);
	}

	/**
	 * Makes sure an auto-proxy creator exists and proxies classes (locked methods are usually on
	 * classes without interfaces), as {@code @EnableTransactionManagement} does.
	 */
	static class ClassProxyingRegistrar implements ImportBeanDefinitionRegistrar {

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
			AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
		}

	}

}
