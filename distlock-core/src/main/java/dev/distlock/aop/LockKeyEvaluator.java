package dev.distlock.aop;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.Expression;

import dev.distlock.LockKeyException;

/**
 * Evaluates a parsed key expression against a call: parameters by name ({@code #id}), by position
 * ({@code #p0}, {@code #a0}), {@code #root} and {@code @bean} references. The value becomes text
 * with {@link String#valueOf(Object)}; null or blank fails the call with {@link LockKeyException}.
 */
public final class LockKeyEvaluator {

	private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private final @Nullable BeanFactoryResolver beanResolver;

	public LockKeyEvaluator(@Nullable BeanFactory beanFactory) {
		this.beanResolver = (beanFactory != null) ? new BeanFactoryResolver(beanFactory) : null;
	}

	/** The key value for one call of the operation's method. */
	public String evaluate(LockOperation operation, Expression key, Method method, Object[] args, Object target,
			Class<?> targetClass) {
		MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(
				new LockExpressionRootObject(method, args, target, targetClass), method, args, this.parameterNames);
		if (this.beanResolver != null) {
			context.setBeanResolver(this.beanResolver);
		}
		Object value;
		try {
			value = key.getValue(context);
		}
		catch (EvaluationException ex) {
			throw new LockKeyException(describe(operation, key) + " failed to evaluate: " + ex.getMessage(), ex);
		}
		if (value == null) {
			throw new LockKeyException(describe(operation, key) + " evaluated to null; the method did not run");
		}
		String text = String.valueOf(value);
		if (text.isBlank()) {
			throw new LockKeyException(describe(operation, key) + " evaluated to a blank value; the method did not run");
		}
		return text;
	}

	private static String describe(LockOperation operation, Expression key) {
		return "@DistributedLocked on " + operation.origin().source() + ": key '" + key.getExpressionString() + "'";
	}

}
