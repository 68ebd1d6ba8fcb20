/**
 * Once-per-tick scheduled jobs: the {@link dev.distlock.aop.scheduling.FireSlot} a run of a
 * {@code @Scheduled} method belongs to, computed alike on every instance, and the
 * {@link dev.distlock.aop.scheduling.SlotClaims} that let one instance per slot run it.
 */
@NullMarked
package dev.distlock.aop.scheduling;

import org.jspecify.annotations.NullMarked;
