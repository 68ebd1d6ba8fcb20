package dev.distlock.etcd;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.etcd.jetcd.ByteSequence;
import org.jspecify.annotations.Nullable;

/**
 * Maps lock ids to etcd keys under a prefix, losslessly: etcd keys are bytes, so a lock id is data
 * (no path syntax, no escaping of {@code /} or {@code ..}). Ids that are well-formed Unicode become
 * {@code prefix + 'u' + UTF-8}; any other string (an unpaired surrogate, which UTF-8 cannot carry)
 * becomes {@code prefix + 'h' + hex of its UTF-16 units}. The tag keeps the two forms apart, so two
 * different ids never share a key, and the id can be read back from the key for listings.
 */
final class EtcdLockKey {

	private static final byte UTF8 = 'u';

	private static final byte UTF16_HEX = 'h';

	private final ByteSequence prefix;

	EtcdLockKey(String prefix) {
		if (prefix.isEmpty()) {
			throw new IllegalArgumentException("The etcd key prefix for locks must not be empty");
		}
		this.prefix = ByteSequence.from(prefix, StandardCharsets.UTF_8);
	}

	/** The prefix every lock key starts with. */
	ByteSequence prefix() {
		return this.prefix;
	}

	/** The key of a lock id. */
	ByteSequence of(String lockId) {
		byte[] utf8 = encodeStrictly(lockId);
		byte[] suffix;
		if (utf8 != null) {
			suffix = new byte[utf8.length + 1];
			suffix[0] = UTF8;
			System.arraycopy(utf8, 0, suffix, 1, utf8.length);
		}
		else {
			StringBuilder hex = new StringBuilder(lockId.length() * 4 + 1).append((char) UTF16_HEX);
			for (int i = 0; i < lockId.length(); i++) {
				hex.append(String.format("%04x", (int) lockId.charAt(i)));
			}
			suffix = hex.toString().getBytes(StandardCharsets.US_ASCII);
		}
		return this.prefix.concat(ByteSequence.from(suffix));
	}

	/**
	 * The lock id a key stands for.
	 * @return empty if the key is not one this mapping makes (another application's key under the prefix)
	 */
	Optional<String> lockIdOf(ByteSequence key) {
		if (!key.startsWith(this.prefix) || key.size() <= this.prefix.size()) {
			return Optional.empty();
		}
		byte[] suffix = key.substring(this.prefix.size()).getBytes();
		Optional<String> decoded = switch (suffix[0]) {
			case UTF8 -> decodeUtf8(suffix);
			case UTF16_HEX -> decodeHex(suffix);
			default -> Optional.empty();
		};
		// Only the canonical form of an id counts (e.g. 'h' with hex of a well-formed string is not ours).
		return decoded.filter((lockId) -> of(lockId).equals(key));
	}

	private static byte @Nullable [] encodeStrictly(String lockId) {
		try {
			ByteBuffer buffer = StandardCharsets.UTF_8.newEncoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.encode(CharBuffer.wrap(lockId));
			byte[] bytes = new byte[buffer.remaining()];
			buffer.get(bytes);
			return bytes;
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	private static Optional<String> decodeUtf8(byte[] suffix) {
		try {
			return Optional.of(StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(suffix, 1, suffix.length - 1))
				.toString());
		}
		catch (CharacterCodingException ex) {
			return Optional.empty();
		}
	}

	private static Optional<String> decodeHex(byte[] suffix) {
		if ((suffix.length - 1) % 4 != 0) {
			return Optional.empty();
		}
		StringBuilder id = new StringBuilder();
		for (int i = 1; i < suffix.length; i += 4) {
			try {
				id.append((char) Integer.parseInt(new String(suffix, i, 4, StandardCharsets.US_ASCII), 16));
			}
			catch (NumberFormatException ex) {
				return Optional.empty();
			}
		}
		return Optional.of(id.toString());
	}

}
