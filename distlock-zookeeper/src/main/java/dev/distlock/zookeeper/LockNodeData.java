package dev.distlock.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What a lock node stores: the owner token of the grant on the first line, the lock id after it.
 * Plain text so that operators can read it with {@code zkCli get}; the id is stored because long ids
 * are hashed into their node name ({@link LockNodeName}). Owner tokens are unique per grant, so the
 * data also tells a node we created from any other.
 *
 * @param owner the owner token of the grant ({@code instance#n}); never contains a line break
 * @param lockId the lock id
 */
record LockNodeData(String owner, String lockId) {

	LockNodeData {
		if (owner.indexOf('\n') >= 0) {
			throw new IllegalArgumentException("Owner token must not contain a line break: '" + owner + "'");
		}
	}

	byte[] toBytes() {
		return (this.owner + "\n" + this.lockId).getBytes(StandardCharsets.UTF_8);
	}

	/** Parses node data; empty for data that is not a lock node's (a foreign node under the base path). */
	static Optional<LockNodeData> parse(byte @Nullable [] data) {
		if (data == null) {
			return Optional.empty();
		}
		String text = new String(data, StandardCharsets.UTF_8);
		int newline = text.indexOf('\n');
		return (newline > 0) ? Optional.of(new LockNodeData(text.substring(0, newline), text.substring(newline + 1)))
				: Optional.empty();
	}

}
