package dev.distlock.jdbc.sql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The SQL statements of one provider (or one dialect of it), one statement per resource file. The
 * set of statements is an enum; constant {@code TAKE_OVER} lives in {@code take-over.sql}. Every
 * statement is read when this is built, so a missing or renamed file fails the provider's
 * construction, not its first use.
 *
 * <p>A file holds exactly one statement, without a terminating {@code ;} (one is tolerated).
 * Whole-line {@code --} comments explain the statement to its readers and are not sent to the
 * database. Values never enter the text: statements take bind parameters ({@code ?} or
 * {@code :name}). The only rewrite is the caller's, such as putting a validated table name in place
 * of the default one.
 *
 * @param <E> the enum naming the statements
 */
public final class SqlStatements<E extends Enum<E>> {

	private final Map<E, String> statements;

	private final String source;

	private SqlStatements(Map<E, String> statements, String source) {
		this.statements = statements;
		this.source = source;
	}

	/**
	 * Every constant of the enum, from one classpath directory.
	 * @param type the statements
	 * @param directory a classpath directory ending in {@code /}, e.g. {@code dev/distlock/jdbc/postgres/}
	 * @throws IllegalStateException if a statement's file is missing or holds no single statement
	 */
	public static <E extends Enum<E>> SqlStatements<E> load(Class<E> type, String directory) {
		return load(EnumSet.allOf(type), List.of(directory), UnaryOperator.identity());
	}

	/**
	 * The given statements, each from the first of the directories that has its file (a dialect's
	 * own directory first, then the shared one it falls back to).
	 * @param statements which statements the caller will ask for
	 * @param directories classpath directories ending in {@code /}, searched in order
	 * @param rewrite applied to each statement's text, e.g. to put in a configured table name
	 * @throws IllegalStateException if a statement's file is missing or holds no single statement
	 */
	public static <E extends Enum<E>> SqlStatements<E> load(Set<E> statements, List<String> directories,
			UnaryOperator<String> rewrite) {
		if (statements.isEmpty()) {
			throw new IllegalArgumentException("No statements to load from " + directories);
		}
		Map<E, String> loaded = new EnumMap<>(statements.iterator().next().getDeclaringClass());
		for (E statement : statements) {
			loaded.put(statement, rewrite.apply(read(statement, directories)));
		}
		return new SqlStatements<>(loaded, String.join(", ", directories));
	}

	/** The file name of a statement: {@code TAKE_OVER} is {@code take-over.sql}. */
	public static String fileName(Enum<?> statement) {
		return statement.name().toLowerCase(Locale.ROOT).replace('_', '-') + ".sql";
	}

	/**
	 * The statement's SQL.
	 * @throws IllegalStateException if it was not among the statements loaded (a programming error)
	 */
	public String sql(E statement) {
		String sql = this.statements.get(statement);
		if (sql == null) {
			throw new IllegalStateException("Statement " + statement + " was not loaded from " + this.source
					+ "; loaded: " + this.statements.keySet());
		}
		return sql;
	}

	private static String read(Enum<?> statement, List<String> directories) {
		String fileName = fileName(statement);
		for (String directory : directories) {
			String resource = directory + fileName;
			try (InputStream in = SqlStatements.class.getClassLoader().getResourceAsStream(resource)) {
				if (in != null) {
					return statementOf(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot read SQL resource " + resource, ex);
			}
		}
		throw new IllegalStateException("Missing SQL resource for statement " + statement + ": no " + fileName
				+ " in " + directories.stream().map((d) -> "classpath:" + d).collect(Collectors.joining(", ")));
	}

	private static String statementOf(String resource, String text) {
		String sql = text.lines()
			.filter((line) -> !line.strip().startsWith("--"))
			.collect(Collectors.joining("\n"))
			.strip();
		if (sql.endsWith(";")) {
			sql = sql.substring(0, sql.length() - 1).strip();
		}
		if (sql.isEmpty()) {
			throw new IllegalStateException("SQL resource classpath:" + resource + " holds no statement");
		}
		if (sql.contains(";")) {
			throw new IllegalStateException(
					"SQL resource classpath:" + resource + " holds more than one statement; keep one per file");
		}
		return sql;
	}

}
