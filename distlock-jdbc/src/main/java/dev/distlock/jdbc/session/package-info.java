/**
 * Shared machinery of the session-scoped JDBC providers ({@code postgres}, {@code mysql}): the
 * locking algorithm ({@link dev.distlock.jdbc.session.AbstractSessionLockProvider}), a small fixed
 * set of dedicated lock connections that never come from the application's pool and can only be
 * used while held ({@code LockConnection}), what each database does on a session
 * ({@link dev.distlock.jdbc.session.SessionDialect}), and schema creation ({@code SessionSchema}).
 */
@NullMarked
package dev.distlock.jdbc.session;

import org.jspecify.annotations.NullMarked;
