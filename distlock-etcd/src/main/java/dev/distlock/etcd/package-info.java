/**
 * The {@code etcd} provider: a lock is a key attached to its instance's etcd session lease, fenced
 * by the key's create revision, on jetcd.
 */
@NullMarked
package dev.distlock.etcd;

import org.jspecify.annotations.NullMarked;
