package dev.distlock.etcd;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.etcd.jetcd.ByteSequence;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EtcdLockKeyTest {

	private final EtcdLockKey keys = new EtcdLockKey("/distlock/");

	@Test
	void idsThatUtf8CannotCarryDoNotCollideWithTheirReplacement() {
		// Plain UTF-8 encoding turns an unpaired surrogate into '?': these would share a key.
		List<String> ids = List.of("\uD800", "?", "a\uDC00b", "a?b", "h0061", "u", "ua", "a", "", "..", "/", "a/../b");
		Set<ByteSequence> seen = new HashSet<>();
		for (String id : ids) {
			assertThat(seen.add(this.keys.of(id))).as("key of '%s' is its own", id).isTrue();
		}
	}

	@Test
	void readsTheLockIdBackFromItsKey() {
		for (String id : List.of("plain", "ünïcödé-ключ-鍵-🔒", "with/slashes/../and/..", "\uD800x", "x".repeat(1000))) {
			assertThat(this.keys.lockIdOf(this.keys.of(id))).contains(id);
		}
	}

	@Test
	void keysItDidNotMakeAreNotLocks() {
		assertThat(this.keys.lockIdOf(ByteSequence.from("/distlock/zforeign", StandardCharsets.UTF_8))).isEmpty();
		assertThat(this.keys.lockIdOf(ByteSequence.from("/distlock/h00", StandardCharsets.UTF_8))).isEmpty();
		// A hex form of a well-formed id is not canonical: that id's key is the 'u' form.
		assertThat(this.keys.lockIdOf(ByteSequence.from("/distlock/h0061", StandardCharsets.UTF_8))).isEmpty();
		assertThat(this.keys.lockIdOf(ByteSequence.from("/other/ua", StandardCharsets.UTF_8))).isEmpty();
	}

	@Test
	void refusesAnEmptyPrefix() {
		assertThatIllegalArgumentException().isThrownBy(() -> new EtcdLockKey("")).withMessageContaining("prefix");
	}

}
