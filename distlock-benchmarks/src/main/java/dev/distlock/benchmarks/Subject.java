package dev.distlock.benchmarks;

import java.util.function.Supplier;

/**
 * Something benchmarked: a name and how to create it as seen by one more application instance.
 *
 * @param name shown in the report
 * @param newInstance creates the subject for one application instance (own connections)
 */
record Subject(String name, Supplier<LockUnderTest> newInstance) {

}
