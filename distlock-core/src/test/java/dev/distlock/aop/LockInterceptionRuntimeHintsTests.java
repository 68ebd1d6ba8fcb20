package dev.distlock.aop;

import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import dev.distlock.DistributedLocked;
import dev.distlock.RunOnEveryNode;

import static org.assertj.core.api.Assertions.assertThat;

/** An AOT-processed application can read the annotations and evaluate key expressions on the root object. */
class LockInterceptionRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	LockInterceptionRuntimeHintsTests() {
		new LockInterceptionRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void theAnnotationsAttributesAreReadable() {
		assertThat(RuntimeHintsPredicates.reflection().onType(DistributedLocked.class)
			.withMemberCategory(MemberCategory.INVOKE_DECLARED_METHODS)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(RunOnEveryNode.class)
			.withMemberCategory(MemberCategory.INVOKE_DECLARED_METHODS)).accepts(this.hints);
	}

	@Test
	void keyExpressionsCanReadTheRootObjectsProperties() throws NoSuchMethodException {
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(LockExpressionRootObject.class.getMethod("getMethodName"))).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(LockExpressionRootObject.class.getMethod("getArgs")))
			.accepts(this.hints);
	}

	@Test
	void theInterceptionConfigurationImportsTheHints() {
		assertThat(LockInterceptionConfiguration.class
			.getAnnotation(org.springframework.context.annotation.ImportRuntimeHints.class)
			.value()).contains(LockInterceptionRuntimeHints.class);
	}

}
