package dev.distlock.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.Assert;

/**
 * {@link ConditionalOnLockBackend}: evaluated once the bean definitions of the application and of
 * the auto-configurations before distlock's are registered, like {@code @ConditionalOnBean}.
 */
final class OnLockBackendCondition extends SpringBootCondition implements ConfigurationCondition {

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		var attributes = metadata.getAnnotationAttributes(ConditionalOnLockBackend.class.getName());
		Assert.state(attributes != null, "No @ConditionalOnLockBackend");
		LockBackend backend = (LockBackend) attributes.get("value");
		Assert.state(context.getBeanFactory() != null, "No bean factory");
		LockProviderChoice choice = LockProviderChoice.decide(context.getBeanFactory(), context.getEnvironment(),
				context.getClassLoader());
		ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnLockBackend.class,
				"(" + backend.id() + ")");
		return (choice.backend() == backend) ? ConditionOutcome.match(message.because(choice.reason()))
				: ConditionOutcome.noMatch(message.because(choice.reason()));
	}

}
