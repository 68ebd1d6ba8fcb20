package dev.distlock.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.distlock.engine.LockEngine;
import dev.distlock.engine.LockEngines;

/**
 * The {@code distlock.held} gauge: how many locks this instance holds right now, per provider.
 */
public class HeldLocksMeterBinder implements MeterBinder {

	/** Gauge of held locks. */
	public static final String HELD = "distlock.held";

	private final LockEngines engines;

	public HeldLocksMeterBinder(LockEngines engines) {
		this.engines = engines;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		// Engines of one provider id (two in-memory providers, say) share a gauge: meter ids must be unique.
		Map<String, List<LockEngine>> byProvider = new LinkedHashMap<>();
		for (LockEngine engine : this.engines.all()) {
			byProvider.computeIfAbsent(engine.provider().id(), (id) -> new ArrayList<>()).add(engine);
		}
		byProvider.forEach((provider, engines) -> Gauge.builder(HELD, engines, HeldLocksMeterBinder::held)
			.description("Locks this instance holds")
			.tag(MeterLockEngineObserver.PROVIDER_TAG, provider)
			.strongReference(true)
			.register(registry));
	}

	private static double held(List<LockEngine> engines) {
		return engines.stream().mapToInt((engine) -> engine.heldLocks().size()).sum();
	}

}
