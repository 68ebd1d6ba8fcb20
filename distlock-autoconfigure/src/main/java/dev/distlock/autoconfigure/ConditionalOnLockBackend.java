package dev.distlock.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when {@code distlock.provider} selects the given backend: named explicitly, or chosen by
 * {@code auto} as the only backend the application has (see {@link LockProviderChoice}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnLockBackendCondition.class)
@interface ConditionalOnLockBackend {

	/** The backend the annotated configuration provides. */
	LockBackend value();

}
