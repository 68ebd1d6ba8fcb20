/**
 * The {@code zookeeper} provider: a lock is an ephemeral node held by the holder's ZooKeeper
 * session, fenced by the node's creation zxid, on Apache Curator.
 */
@NullMarked
package dev.distlock.zookeeper;

import org.jspecify.annotations.NullMarked;
