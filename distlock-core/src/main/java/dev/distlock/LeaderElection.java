package dev.distlock;

import java.util.List;

/**
 * Elects one leader per group among the instances that join it, on top of a lock, so it works on
 * every provider. The bean is auto-configured beside {@link LockTemplate}.
 *
 * <p>The group's lock id is {@code leader:<group>}; its lease is {@code distlock.leader.lease-time}
 * (renewed every third of it). A leader that cannot confirm a renewal before its lease runs out is
 * revoked locally before any other instance can be granted.
 */
public interface LeaderElection {

	/**
	 * Joins the group and campaigns in the background; returns at once. Joining a group this
	 * instance already joined (and has not closed) returns the same {@link Leadership}.
	 * @param group the group name; not blank
	 * @return this instance's membership of the group
	 * @throws IllegalArgumentException if the group is blank
	 */
	Leadership join(String group);

	/** The groups this instance has joined and not closed, in the order joined. */
	List<Leadership> joined();

}
