package dev.distlock.jdbc.fencing;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a resource name is stored in the fencing table, as lock ids are in the lease table: the
 * primary key is the SHA-256 of the name's UTF-8 bytes in lower-case hex, so a name of any length
 * and alphabet fits a fixed-width key on every database and never enters the SQL text; the name
 * itself is kept beside it for people.
 *
 * @param key the primary key: 64 lower-case hex digits
 * @param text the name as stored for people to read; PostgreSQL text cannot hold U+0000, so NUL
 * characters are stored as U+FFFD. Only people read this text; checks go by {@code key}.
 */
record StoredResource(String key, String text) {

	private static final HexFormat HEX = HexFormat.of();

	/** Never part of a UTF-8 encoding, so it sets the keys of malformed names apart. */
	private static final byte MALFORMED_MARKER = (byte) 0xFF;

	static StoredResource of(String resource) {
		return new StoredResource(key(resource), resource.replace('\u0000', '\uFFFD'));
	}

	/**
	 * The key. A name with a lone surrogate has no UTF-8 form (the encoder would turn it into
	 * {@code ?} and collide with the name that has a {@code ?} there), so such a name is hashed as
	 * a marker byte plus its UTF-16 code units.
	 */
	static String key(String resource) {
		MessageDigest sha256 = sha256();
		try {
			ByteBuffer utf8 = StandardCharsets.UTF_8.newEncoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.encode(CharBuffer.wrap(resource));
			sha256.update(utf8);
		}
		catch (CharacterCodingException ex) {
			sha256.update(MALFORMED_MARKER);
			sha256.update(resource.getBytes(StandardCharsets.UTF_16BE));
		}
		return HEX.formatHex(sha256.digest());
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform must provide SHA-256", ex);
		}
	}

}
