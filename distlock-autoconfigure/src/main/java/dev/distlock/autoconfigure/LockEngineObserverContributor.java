package dev.distlock.autoconfigure;

import dev.distlock.engine.LockEngineObserver;

/**
 * A bean that adds an observer to every lock engine (metrics, tracing). Lets the metrics
 * configuration contribute without the core configuration knowing Micrometer.
 */
@FunctionalInterface
public interface LockEngineObserverContributor {

	LockEngineObserver observer();

}
