/**
 * Leader election on a lock provider: one candidate per joined group, all campaigning on a shared
 * scheduler, woken by the provider's release notifications.
 */
@NullMarked
package dev.distlock.leader;

import org.jspecify.annotations.NullMarked;
