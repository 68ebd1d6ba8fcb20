package dev.distlock.aop;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

import dev.distlock.DistributedLocked;
import dev.distlock.RunOnEveryNode;

/**
 * What the interception reflects on at run time, for AOT-processed applications and native images:
 * the annotations whose attributes are read per method, and the root object of key expressions,
 * whose properties ({@code #root.methodName}, {@code #root.args}) SpEL reads reflectively.
 */
class LockInterceptionRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection().registerType(DistributedLocked.class, MemberCategory.INVOKE_DECLARED_METHODS);
		hints.reflection().registerType(RunOnEveryNode.class, MemberCategory.INVOKE_DECLARED_METHODS);
		hints.reflection().registerType(LockExpressionRootObject.class, MemberCategory.INVOKE_PUBLIC_METHODS);
	}

}
