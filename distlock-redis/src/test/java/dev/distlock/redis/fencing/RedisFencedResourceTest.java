package dev.distlock.redis.fencing;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.distlock.FencedResource;
import dev.distlock.redis.RedisLockProvider;
import dev.distlock.spi.LockProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@link FencedResource} contract for {@link RedisFencedResource} on the shared Redis, with locks
 * from the redis provider on the same server.
 */
class RedisFencedResourceTest extends RedisLedgerFencedResourceTests {

	@Override
	protected LockProvider createLockProvider() {
		return new RedisLockProvider(connections(0), this.keyPrefix);
	}

	@Override
	protected List<String> holderProcess(String lockId, String resource, String writer) {
		return List.of(RedisFencedHolderProcess.class.getName(), URL, this.keyPrefix, lockId, resource, writer);
	}

	@Test
	void eachResourceHasOneKeyUnderTheKeyPrefixWithItsOwnHashTag() {
		RedisFencedResource fence = fencedResource(0);
		assertThat(fence.fenceKey("order:42")).isEqualTo(this.keyPrefix + "fence:{order:42}");
		assertThat(fence.fenceKey("a{b}c")).isEqualTo(this.keyPrefix + "fence:{a\\[b\\]c}");
		assertThat(Set.of(fence.fenceKey(""), fence.fenceKey("\\e"), fence.fenceKey("{"), fence.fenceKey("\\["))).hasSize(4);
		fence.check("order:42" + this.keyPrefix, 3);
		assertThat(new StringRedisTemplate(connections(0)).opsForValue().get(fence.fenceKey("order:42" + this.keyPrefix)))
			.isEqualTo("3");
	}

	@Test
	void aKeyPrefixWithBracesIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisFencedResource(connections(0), "a{b}:"))
			.withMessageContaining("distlock.redis.key-prefix");
	}

}
