/**
 * The fault-injection worker: a small Spring Boot application on the distlock starter that the
 * suite runs as several JVM processes against one backend. Its threads contend for a few locks
 * and, holding one, make a deliberately non-atomic read-modify-write of a ledger row that checks
 * the lock's fencing token ({@link dev.distlock.it.worker.FencedLedger}). It reports what it does
 * as lines on standard output ({@link dev.distlock.it.worker.WorkerEvents}).
 */
@NullMarked
package dev.distlock.it.worker;

import org.jspecify.annotations.NullMarked;
