package dev.distlock.zookeeper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns a lock id (any string) into a valid, collision-free ZooKeeper node name.
 *
 * <p>The UTF-8 bytes of the id are percent-escaped: letters, digits and {@code -_.:@,+=} stay as
 * they are (so {@code ls /distlock} stays readable for ids like {@code com.example.Job.run:42}),
 * every other byte, {@code %} included, becomes {@code %XX}. A name that would be {@code .} or
 * {@code ..} (invalid in ZooKeeper) has its dots escaped too. Decoding an escaped name gives back the
 * id, so two ids never share a name. Names longer than {@value #MAX_ESCAPED_LENGTH} characters are
 * shortened to a readable prefix, {@code ~} and the SHA-256 of the id: {@code ~} is always escaped in
 * the first form, so the two forms cannot collide either. The id itself is stored in the node's data
 * ({@link LockNodeData}), which is how listings recover it for both forms.
 */
final class LockNodeName {

	/** Longest escaped name used as is; keeps node paths short in logs, listings and watches. */
	static final int MAX_ESCAPED_LENGTH = 200;

	private static final int HASHED_PREFIX_LENGTH = 100;

	private static final HexFormat HEX = HexFormat.of().withUpperCase();

	private LockNodeName() {
	}

	static String of(String lockId) {
		String escaped = escape(lockId);
		if (escaped.length() <= MAX_ESCAPED_LENGTH) {
			return escaped;
		}
		return readablePrefix(escaped) + "~" + HexFormat.of().formatHex(sha256(lockId));
	}

	private static String escape(String lockId) {
		byte[] utf8 = lockId.getBytes(StandardCharsets.UTF_8);
		StringBuilder name = new StringBuilder(utf8.length + 16);
		for (byte b : utf8) {
			int c = b & 0xFF;
			if (isSafe(c)) {
				name.append((char) c);
			}
			else {
				name.append('%').append(HEX.toHexDigits((byte) c));
			}
		}
		String escaped = name.toString();
		if (escaped.equals(".") || escaped.equals("..")) {
			return escaped.replace(".", "%2E");
		}
		return escaped;
	}

	private static boolean isSafe(int c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
				|| c == '.' || c == ':' || c == '@' || c == ',' || c == '+' || c == '=';
	}

	/** The first characters of the escaped name, never ending inside a {@code %XX} escape. */
	private static String readablePrefix(String escaped) {
		int end = HASHED_PREFIX_LENGTH;
		int percent = escaped.lastIndexOf('%', end - 1);
		if (percent >= 0 && percent > end - 3) {
			end = percent;
		}
		return escaped.substring(0, end);
	}

	private static byte[] sha256(String lockId) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(lockId.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every JVM", ex);
		}
	}

}
