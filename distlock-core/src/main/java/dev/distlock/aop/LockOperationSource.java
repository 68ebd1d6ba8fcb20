package dev.distlock.aop;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;

/**
 * The {@link LockOperation} of each method, parsed once and cached (like Spring's
 * {@code AnnotationCacheOperationSource}). Validation at startup fills the cache, so calls only look
 * it up.
 */
public final class LockOperationSource {

	private final LockOperationParser parser;

	private final Map<MethodClassKey, Optional<LockOperation>> operations = new ConcurrentHashMap<>(256);

	public LockOperationSource(LockOperationParser parser) {
		this.parser = parser;
	}

	/**
	 * The operation for the method as invoked on the target class, or {@code null} if it is not
	 * locked.
	 * @throws dev.distlock.LockConfigurationException if its annotations are invalid
	 */
	public @Nullable LockOperation getOperation(Method method, @Nullable Class<?> targetClass) {
		if (method.getDeclaringClass() == Object.class) {
			return null;
		}
		MethodClassKey key = new MethodClassKey(method, targetClass);
		Optional<LockOperation> cached = this.operations.get(key);
		if (cached == null) {
			Class<?> userClass = (targetClass != null) ? targetClass : method.getDeclaringClass();
			Method specific = AopUtils.getMostSpecificMethod(method, userClass);
			cached = Optional.ofNullable(this.parser.parse(specific, userClass));
			this.operations.put(key, cached);
		}
		return cached.orElse(null);
	}

}
