package dev.distlock.aop;

import java.time.Clock;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.expression.spel.SpelCompilerMode;
import org.springframework.expression.spel.SpelParserConfiguration;
import org.springframework.expression.spel.standard.SpelExpressionParser;

import dev.distlock.aop.scheduling.SlotClaims;
import dev.distlock.engine.LockEngines;
import dev.distlock.spi.LockProvider;

/**
 * The interception of {@code @DistributedLocked} and {@code @Scheduled} methods, shared by the
 * Spring Boot auto-configuration and {@link dev.distlock.EnableDistributedLocking} (as Spring's
 * {@code ResilientMethodsConfiguration} serves {@code @EnableResilientMethods}).
 *
 * <p>Infrastructure beans, created while bean post-processors are set up (like Spring's cache and
 * transaction advisors): they take the attribute defaults from an optional {@link LockDefaults}
 * bean (standard defaults without one) and reach the engines lazily.
 */
@Configuration(proxyBeanMethods = false)
@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
@Import(LockInterceptionConfiguration.ClassProxyingRegistrar.class)
@ImportRuntimeHints(LockInterceptionRuntimeHints.class)
public class LockInterceptionConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static LockOperationSource distlockLockOperationSource(ObjectProvider<LockDefaults> defaults,
			ConfigurableListableBeanFactory beanFactory, ObjectProvider<Clock> clock) {
		EmbeddedValueResolver resolver = new EmbeddedValueResolver(beanFactory);
		// Key expressions run on every call: compile them once they have run a few times.
		SpelExpressionParser parser = new SpelExpressionParser(new SpelParserConfiguration(SpelCompilerMode.MIXED,
				LockInterceptionConfiguration.class.getClassLoader()));
		// By bean name, so the advisor does not create the providers and engines early.
		return new LockOperationSource(new LockOperationParser(defaults.getIfAvailable(LockDefaults::standard),
				resolver, parser, (name) -> beanFactory.containsBean(name) && beanFactory.isTypeMatch(name, LockProvider.class),
				new ScheduledPeriods(resolver, () -> clock.getIfAvailable(Clock::systemUTC))));
	}

	/** Claims the fire slots of scheduled runs; a lifecycle bean so shutdown waits out held claims. */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static SlotClaims distlockSlotClaims(ObjectProvider<LockDefaults> defaults,
			ConfigurableListableBeanFactory beanFactory) {
		return new SlotClaims(new EmbeddedValueResolver(beanFactory),
				defaults.getIfAvailable(LockDefaults::standard).maxClockSkew());
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
