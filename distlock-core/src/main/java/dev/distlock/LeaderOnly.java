package dev.distlock;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The method runs only while this instance leads the group; otherwise it is skipped and returns as
 * {@link IfLocked#SKIP} does ({@code null}, an empty {@code Optional}, {@code 0}/{@code false}).
 * The instance joins every group named by such a method at startup.
 *
 * <p>On a {@code @Scheduled} method it replaces per-run locking: the leader runs every tick, the
 * others skip. Together with {@link RunOnEveryNode}, with a blank group, or on a private, final or
 * static method it fails startup naming the method.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface LeaderOnly {

	/**
	 * The group; placeholders are resolved. Default: the value of {@code spring.application.name},
	 * else {@code default}.
	 */
	String group() default "";

}
