/**
 * The {@code @DistributedLocked} and {@code @Scheduled} interception: annotations parsed and
 * validated once per method into a {@link dev.distlock.aop.LockOperation}, SpEL keys parsed once and
 * evaluated per call, and the interceptor that runs the method under the lock.
 */
@NullMarked
package dev.distlock.aop;

import org.jspecify.annotations.NullMarked;
