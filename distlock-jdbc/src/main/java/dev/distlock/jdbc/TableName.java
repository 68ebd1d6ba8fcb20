package dev.distlock.jdbc;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.distlock.LockConfigurationException;

/**
 * The rule for the names of distlock's tables that users configure (the {@code jdbc-table} lease
 * table, {@code distlock.jdbc.table-name}): a plain SQL identifier of letters, digits and
 * underscores, not starting with a digit, optionally qualified by a schema
 * ({@code locks.distlock_lock}) or a catalog and a schema ({@code app.locks.distlock_lock}). It is
 * written into the SQL as given, unquoted, so the database folds its case as it does for any
 * unquoted name. Everything else, such as quotes, spaces, {@code -} or {@code ;}, is refused: the
 * name is the only configured text that enters SQL, and this rule is what makes that safe.
 *
 * <p>This is the one place the rule lives: the providers and the validation of {@code distlock.*}
 * properties both call {@link #check}.
 */
public final class TableName {

	private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	private static final Pattern QUALIFIED = Pattern
		.compile(IDENTIFIER.pattern() + "(\\." + IDENTIFIER.pattern() + "){0,2}");

	private TableName() {
	}

	/**
	 * Whether the name follows the rule.
	 * @param name a table name, optionally {@code schema.table} or {@code catalog.schema.table}
	 */
	public static boolean isValid(@Nullable String name) {
		return name != null && QUALIFIED.matcher(name).matches();
	}

	/**
	 * Checks a configured table name.
	 * @param property the property the name came from, for the message, e.g. {@code distlock.jdbc.table-name}
	 * @param name the configured name
	 * @return the name, unchanged
	 * @throws LockConfigurationException naming the property and the value if the name breaks the rule
	 */
	public static String check(String property, @Nullable String name) {
		if (name == null || !isValid(name)) {
			throw new LockConfigurationException(property + " '" + name + "' is not a plain SQL table name: use "
					+ "letters, digits and '_' (not starting with a digit), optionally qualified as schema.table");
		}
		return name;
	}

}
