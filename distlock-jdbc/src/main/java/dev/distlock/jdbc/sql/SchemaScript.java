package dev.distlock.jdbc.sql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.function.UnaryOperator;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.support.EncodedResource;
import org.springframework.jdbc.datasource.init.ScriptException;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * A schema script from the classpath: the one file of a provider (or dialect) that creates its
 * tables and sequences. Unlike {@link SqlStatements} it holds several statements, because users who
 * do not let distlock create the schema run the same file themselves; Spring's {@link ScriptUtils}
 * splits it. Read when this is built, so a missing file fails at construction.
 */
public final class SchemaScript {

	private final String resource;

	private final String text;

	private SchemaScript(String resource, String text) {
		this.resource = resource;
		this.text = text;
	}

	/**
	 * Reads a script.
	 * @param resource the classpath path, e.g. {@code dev/distlock/jdbc/postgres/schema.sql}
	 * @param rewrite applied to the script's text, e.g. to put in a configured table name
	 * @throws IllegalStateException if the resource is missing
	 */
	public static SchemaScript load(String resource, UnaryOperator<String> rewrite) {
		try (InputStream in = SchemaScript.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("Missing schema script classpath:" + resource);
			}
			return new SchemaScript(resource, rewrite.apply(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read schema script classpath:" + resource, ex);
		}
	}

	/** Reads a script that is run as written. */
	public static SchemaScript load(String resource) {
		return load(resource, UnaryOperator.identity());
	}

	/** Where the script lives, as users find it in messages: {@code classpath:dev/distlock/...}. */
	public String location() {
		return "classpath:" + this.resource;
	}

	/**
	 * Runs every statement of the script on the connection, in its current transaction mode.
	 * @throws ScriptException if a statement fails
	 */
	public void executeOn(Connection connection) {
		ByteArrayResource script = new ByteArrayResource(this.text.getBytes(StandardCharsets.UTF_8), location());
		ScriptUtils.executeSqlScript(connection, new EncodedResource(script, StandardCharsets.UTF_8));
	}

	@Override
	public String toString() {
		return location();
	}

}
