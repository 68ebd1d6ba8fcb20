package dev.distlock;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code @Scheduled} method that must run on every instance (a local cache refresh, for
 * example): it is not locked even when scheduled-job locking ({@code distlock.scheduled.enabled})
 * is on. Combining it with {@link DistributedLocked} on one method is a startup error.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RunOnEveryNode {

}
