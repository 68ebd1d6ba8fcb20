/**
 * A benchmark harness that runs distlock against the raw client it is built on, in one run, and
 * reports the ratio: what the library costs over the floor.
 */
@NullMarked
package dev.distlock.benchmarks;

import org.jspecify.annotations.NullMarked;
