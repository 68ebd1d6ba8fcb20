package dev.distlock.sample;

import org.springframework.stereotype.Component;

import dev.distlock.engine.LockEngines;

/**
 * This instance's distlock instance id, shown in charges and job runs.
 */
@Component
public class InstanceInfo {

	private final LockEngines engines;

	public InstanceInfo(LockEngines engines) {
		this.engines = engines;
	}

	public String id() {
		return this.engines.primary().settings().instanceId();
	}

}
