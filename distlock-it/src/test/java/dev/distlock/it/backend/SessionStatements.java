package dev.distlock.it.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The suite's own SQL for faulting database sessions, one statement per file next to this class. */
final class SessionStatements {

	private SessionStatements() {
	}

	static String read(String file) {
		try (InputStream in = SessionStatements.class.getResourceAsStream(file)) {
			if (in == null) {
				throw new IllegalStateException("No " + file + " next to " + SessionStatements.class.getName());
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
				.filter((line) -> !line.startsWith("--"))
				.reduce("", (a, b) -> a + b + "\n")
				.trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + file, ex);
		}
	}

}
