package dev.distlock.zookeeper;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.curator.utils.PathUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

class LockNodeNameTest {

	@Test
	void keepsTypicalLockIdsReadable() {
		assertThat(LockNodeName.of("com.example.Billing.charge:42")).isEqualTo("com.example.Billing.charge:42");
		assertThat(LockNodeName.of("order-42_v2@eu,x+y=z")).isEqualTo("order-42_v2@eu,x+y=z");
	}

	@Test
	void escapesEveryOtherByteIncludingTheEscapeCharacter() {
		assertThat(LockNodeName.of("a/b")).isEqualTo("a%2Fb");
		assertThat(LockNodeName.of("100%")).isEqualTo("100%25");
		assertThat(LockNodeName.of("a b~c")).isEqualTo("a%20b%7Ec");
		assertThat(LockNodeName.of("é")).isEqualTo("%C3%A9");
	}

	@Test
	void neverProducesTheRelativePathNames() {
		assertThat(LockNodeName.of(".")).isEqualTo("%2E");
		assertThat(LockNodeName.of("..")).isEqualTo("%2E%2E");
		assertThat(LockNodeName.of("...")).isEqualTo("...");
	}

	@ParameterizedTest
	@ValueSource(strings = { "plain", ".", "..", "/", "//", "a/../b", "ünïcödé-ключ-鍵-🔒", "nul\u0000char", "tab\there",
			"\u007f\u009f\ud7ff\ue000\ufff0\uffff", "zookeeper", "quotes'\"`; DROP TABLE x; --" })
	void makesAValidNodeNameFromAnyString(String lockId) {
		String name = LockNodeName.of(lockId);
		assertThatNoException().isThrownBy(() -> PathUtils.validatePath("/distlock/" + name));
		assertThat(name).doesNotContain("/");
	}

	@Test
	void mapsDistinctIdsToDistinctNames() {
		List<String> ids = List.of("a/b", "a%2Fb", "a%252Fb", ".", "%2E", "..", "%2E%2E", "a~b", "a%7Eb", "a", "A", "a\u0000",
				"á", "a\u0301");
		Set<String> names = new HashSet<>();
		ids.forEach((id) -> names.add(LockNodeName.of(id)));
		assertThat(names).hasSameSizeAs(ids);
	}

	@Test
	void hashesLongIdsIntoShortNamesThatStillDiffer() {
		String id = "x".repeat(999) + "a";
		String almostSame = "x".repeat(999) + "b";
		String name = LockNodeName.of(id);
		assertThat(name).hasSizeLessThanOrEqualTo(LockNodeName.MAX_ESCAPED_LENGTH).startsWith("xxxx").contains("~");
		assertThat(LockNodeName.of(almostSame)).isNotEqualTo(name);
		assertThat(LockNodeName.of(id)).isEqualTo(name);
	}

	@Test
	void cutsTheReadablePrefixOfAHashedNameBeforeAnEscape() {
		String name = LockNodeName.of("x".repeat(99) + "/".repeat(300));
		assertThat(name).startsWith("x".repeat(99) + "~");
		assertThatNoException().isThrownBy(() -> PathUtils.validatePath("/distlock/" + name));
	}

	@Test
	void keepsTheHashedFormApartFromTheEscapedForm() {
		// '~' only ever appears in hashed names: an escaped id cannot look like one.
		String hashed = LockNodeName.of("y".repeat(500));
		String lookalike = hashed.replace("~", "%7E");
		assertThat(LockNodeName.of(lookalike)).isNotEqualTo(hashed);
		assertThat(LockNodeName.of("short~id")).doesNotContain("~");
	}

}
