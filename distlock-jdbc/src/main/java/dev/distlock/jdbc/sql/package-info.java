/**
 * How the JDBC providers keep their SQL: every statement in a resource file of its own beside its
 * provider, named after a constant of the provider's statement enum and loaded, all at once, when the
 * provider is built ({@link dev.distlock.jdbc.sql.SqlStatements}); schema scripts, which users may
 * also run themselves, as whole scripts ({@link dev.distlock.jdbc.sql.SchemaScript}). Support for the
 * providers of this module, not an API of its own.
 */
@NullMarked
package dev.distlock.jdbc.sql;

import org.jspecify.annotations.NullMarked;
