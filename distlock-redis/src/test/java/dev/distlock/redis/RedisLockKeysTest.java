package dev.distlock.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.data.redis.connection.ClusterSlotHashUtil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Lock ids of any shape map to distinct keys that share one hash slot per lock.
 */
class RedisLockKeysTest {

	private final RedisLockKeys keys = new RedisLockKeys("distlock:");

	@ParameterizedTest
	@ValueSource(strings = { "plain", "{hash}tag", "}{", "{}", "a\\b", "\\[", "\\u0041", "ключ 🔒", "\uD800", "\uDC00x",
			"", "a\u0000b", "colon:separated" })
	void aLockAndItsCounterShareOneHashSlotAndTheIdReadsBack(String lockId) {
		String lockKey = this.keys.lockKey(lockId);
		assertThat(ClusterSlotHashUtil.calculateSlot(lockKey.getBytes(StandardCharsets.UTF_8)))
			.isEqualTo(ClusterSlotHashUtil
				.calculateSlot(this.keys.counterKey(lockId).getBytes(StandardCharsets.UTF_8)));
		assertThat(this.keys.lockId(lockKey)).isEqualTo(lockId);
	}

	@Test
	void distinctIdsGetDistinctKeysEvenWhereEscapesCouldCollide() {
		List<String> ids = List.of("{", "\\[", "}", "\\]", "\\", "\\\\", "\uD800", "\\uD800", "", "\\e", "?");
		assertThat(ids.stream().map(this.keys::lockKey).distinct()).hasSameSizeAs(ids);
	}

	@Test
	void countersAreNotListedAsLocks() {
		assertThat(this.keys.lockId(this.keys.counterKey("a"))).isNull();
		assertThat(this.keys.lockId("other:{a}")).isNull();
	}

	@Test
	void rejectsAKeyPrefixWithCurlyBraces() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisLockKeys("app{1}:"))
			.withMessageContaining("distlock.redis.key-prefix");
	}

	@Test
	void escapesGlobCharactersOfThePrefixInTheScanPattern() {
		assertThat(new RedisLockKeys("a*b?[c]\\:").lockKeyPattern()).isEqualTo("a\\*b\\?\\[c\\]\\\\:{*}");
	}

}
