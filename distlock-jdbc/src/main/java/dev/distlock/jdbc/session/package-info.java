/**
 * Shared machinery of the session-scoped JDBC providers ({@code postgres}, {@code mysql}): a small
 * fixed set of dedicated lock connections that never come from the application's pool, and the
 * per-connection bookkeeping of which owner holds which lock.
 */
@NullMarked
package dev.distlock.jdbc.session;

import org.jspecify.annotations.NullMarked;
