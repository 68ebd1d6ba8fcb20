package dev.distlock;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;

import dev.distlock.aop.LockInterceptionConfiguration;
import dev.distlock.engine.LockEngineConfiguration;

/**
 * Turns on distlock in an application without Spring Boot: {@link LockTemplate} and the
 * interception of {@link DistributedLocked} and {@code @Scheduled} methods, on the application's
 * {@link dev.distlock.spi.LockProvider} bean(s). The Spring Boot starter does the same (and
 * configures the provider from {@code distlock.*}) without this annotation.
 *
 * <p>Optional beans: {@link dev.distlock.engine.EngineSettings}, {@link dev.distlock.aop.LockDefaults}
 * (attribute defaults), {@link dev.distlock.engine.LockEngineObserver} and a {@link java.time.Clock}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import({ LockEngineConfiguration.class, LockInterceptionConfiguration.class })
public @interface EnableDistributedLocking {

}
