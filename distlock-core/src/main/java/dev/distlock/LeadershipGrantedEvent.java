package dev.distlock;

import org.springframework.context.ApplicationEvent;

/** Published on the instance that has just become the leader of a group. */
public class LeadershipGrantedEvent extends ApplicationEvent {

	private final String group;

	private final long term;

	private final String instance;

	public LeadershipGrantedEvent(Object source, String group, long term, String instance) {
		super(source);
		this.group = group;
		this.term = term;
		this.instance = instance;
	}

	/** The group. */
	public String group() {
		return this.group;
	}

	/** The new term: the fencing token of the group's lock. */
	public long term() {
		return this.term;
	}

	/** This instance's id. */
	public String instance() {
		return this.instance;
	}

	@Override
	public String toString() {
		return "LeadershipGrantedEvent[group=" + this.group + ", term=" + this.term + ", instance=" + this.instance
				+ "]";
	}

}
