package dev.distlock.aop;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.context.support.PropertySourcesPlaceholderConfigurer;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.expression.spel.standard.SpelExpressionParser;

import dev.distlock.engine.EngineSettings;
import dev.distlock.engine.LeaseWatchdog;
import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngineObserver;
import dev.distlock.engine.LockEngines;
import dev.distlock.spi.LockProvider;

/**
 * The distlock wiring every aspect test shares, built by hand the way the auto-configuration is
 * expected to: one engine per {@link LockProvider} bean (the one named {@value #PRIMARY_PROVIDER} is
 * primary), the operation source, interceptor and advisor as infrastructure beans, the startup
 * validator, and Spring's infrastructure auto-proxy creator with class proxies (as Spring Boot's
 * {@code AopAutoConfiguration} registers it without AspectJ). Optional beans a test may add: a
 * {@link LockDefaults} and a {@link Clock}.
 */
@Configuration(proxyBeanMethods = false)
@Import(LockingTestConfiguration.ClassProxyingRegistrar.class)
public class LockingTestConfiguration {

	/** The bean name of the primary provider. */
	public static final String PRIMARY_PROVIDER = "lockProvider";

	@Bean
	static PropertySourcesPlaceholderConfigurer propertySourcesPlaceholderConfigurer() {
		return new PropertySourcesPlaceholderConfigurer();
	}

	@Bean(destroyMethod = "close")
	LeaseWatchdog leaseWatchdog() {
		return new LeaseWatchdog();
	}

	@Bean
	LockEngines lockEngines(Map<String, LockProvider> providers, LeaseWatchdog watchdog, ObjectProvider<Clock> clock) {
		EngineSettings settings = new EngineSettings("test-" + UUID.randomUUID(), Duration.ofSeconds(30),
				Duration.ZERO, false, clock.getIfAvailable(Clock::systemUTC));
		Map<String, LockEngine> engines = new LinkedHashMap<>();
		providers.forEach((name, provider) -> engines.put(name,
				new LockEngine(provider, watchdog, settings, LockEngineObserver.NOOP)));
		LockEngine primary = engines.containsKey(PRIMARY_PROVIDER) ? engines.get(PRIMARY_PROVIDER)
				: engines.values().iterator().next();
		return new LockEngines(primary, engines);
	}

	@Bean
	LockEngine lockEngine(LockEngines engines) {
		return engines.primary();
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	LockOperationSource lockOperationSource(ConfigurableListableBeanFactory beanFactory,
			ObjectProvider<LockDefaults> defaults, ObjectProvider<Clock> clock) {
		EmbeddedValueResolver resolver = new EmbeddedValueResolver(beanFactory);
		// By bean name, so the advisor does not create the providers and engines early.
		Predicate<String> providerExists = (name) -> beanFactory.containsBean(name)
				&& beanFactory.isTypeMatch(name, LockProvider.class);
		LockOperationParser parser = new LockOperationParser(defaults.getIfAvailable(LockDefaults::standard), resolver,
				new SpelExpressionParser(), providerExists,
				new ScheduledPeriods(resolver, clock.getIfAvailable(Clock::systemUTC)));
		return new LockOperationSource(parser);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	DistributedLockInterceptor distributedLockInterceptor(LockOperationSource operations, BeanFactory beanFactory) {
		return new DistributedLockInterceptor(operations, new LockKeyEvaluator(beanFactory),
				() -> beanFactory.getBean(LockEngines.class));
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	DistributedLockAdvisor distributedLockAdvisor(LockOperationSource operations,
			DistributedLockInterceptor interceptor) {
		return new DistributedLockAdvisor(operations, interceptor);
	}

	@Bean
	LockedMethodValidator lockedMethodValidator(ConfigurableListableBeanFactory beanFactory,
			LockOperationSource operations) {
		return new LockedMethodValidator(beanFactory, operations);
	}

	/** Registers the infrastructure advisor auto-proxy creator with class proxies. */
	static class ClassProxyingRegistrar implements ImportBeanDefinitionRegistrar {

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
			AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
		}

	}

}
