package dev.distlock.aop;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * What a method skipped with {@link dev.distlock.IfLocked#SKIP} returns: {@code null},
 * {@code Optional.empty()}, a completed future of {@code null}, or the primitive's zero.
 */
final class SkippedResult {

	private SkippedResult() {
	}

	static @Nullable Object forType(Class<?> type) {
		if (type == Optional.class) {
			return Optional.empty();
		}
		if (CompletionStage.class.isAssignableFrom(type) && type.isAssignableFrom(CompletableFuture.class)) {
			return CompletableFuture.completedFuture(null);
		}
		if (!type.isPrimitive() || type == void.class) {
			return null;
		}
		if (type == boolean.class) {
			return false;
		}
		if (type == char.class) {
			return '\0';
		}
		if (type == byte.class) {
			return (byte) 0;
		}
		if (type == short.class) {
			return (short) 0;
		}
		if (type == int.class) {
			return 0;
		}
		if (type == long.class) {
			return 0L;
		}
		if (type == float.class) {
			return 0f;
		}
		return 0d;
	}

}
