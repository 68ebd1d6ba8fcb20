/**
 * The {@code postgres} provider: session-level PostgreSQL advisory locks on dedicated connections,
 * fencing tokens from a database sequence.
 */
@NullMarked
package dev.distlock.jdbc.postgres;

import org.jspecify.annotations.NullMarked;
