package dev.distlock.aop;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
 * with {@link String#valueOf(Object)}; null, blank, or a {@code toString()} that throws or returns
 * null fails the call with {@link LockKeyException}. A {@code Collection} or array value gives one key
 * per distinct element (several locks).
 */
public final class LockKeyEvaluator {

	private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private final @Nullable BeanFactoryResolver beanResolver;

	public LockKeyEvaluator(@Nullable BeanFactory beanFactory) {
		this.beanResolver = (beanFactory != null) ? new BeanFactoryResolver(beanFactory) : null;
	}

	/**
	 * The key values for one call: one value, or each distinct element of a {@link Collection} or an
	 * array, in iteration order.
	 * @throws LockKeyException if the value or an element is null or blank, or the collection is empty
	 */
	public List<String> evaluateAll(LockOperation operation, Expression key, Method method, Object[] args,
			Object target, Class<?> targetClass) {
		Object value = value(operation, key, method, args, target, targetClass);
		List<Object> elements = elements(value);
		if (elements == null) {
			return List.of(text(operation, key, value));
		}
		if (elements.isEmpty()) {
			throw new LockKeyException(describe(operation, key) + " evaluated to an empty collection; the method did not run");
		}
		Set<String> texts = new LinkedHashSet<>();
		for (int i = 0; i < elements.size(); i++) {
			if (elements.get(i) == null) {
				throw new LockKeyException(
						describe(operation, key) + " evaluated to a collection whose element " + i + " is null; the method did not run");
			}
			texts.add(text(operation, key, elements.get(i)));
		}
		return List.copyOf(texts);
	}

	/** The key value for one call of the operation's method. */
	public String evaluate(LockOperation operation, Expression key, Method method, Object[] args, Object target,
			Class<?> targetClass) {
		return text(operation, key, value(operation, key, method, args, target, targetClass));
	}

	private @Nullable Object value(LockOperation operation, Expression key, Method method, Object[] args,
			Object target, Class<?> targetClass) {
		MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(
				new LockExpressionRootObject(method, args, target, targetClass), method, args, this.parameterNames);
		if (this.beanResolver != null) {
			context.setBeanResolver(this.beanResolver);
		}
		try {
			return key.getValue(context);
		}
		catch (EvaluationException ex) {
			throw new LockKeyException(describe(operation, key) + " failed to evaluate: " + ex.getMessage(), ex);
		}
	}

	/** The elements of a collection or an array (nulls kept), or {@code null} for a single value. */
	private static @Nullable List<Object> elements(@Nullable Object value) {
		if (value instanceof Collection<?> collection) {
			return new ArrayList<>(collection);
		}
		if (value != null && value.getClass().isArray()) {
			int length = Array.getLength(value);
			List<Object> elements = new ArrayList<>(length);
			for (int i = 0; i < length; i++) {
				elements.add(Array.get(value, i));
			}
			return elements;
		}
		return null;
	}

	private static String text(LockOperation operation, Expression key, @Nullable Object value) {
		if (value == null) {
			throw new LockKeyException(describe(operation, key) + " evaluated to null; the method did not run");
		}
		String text;
		try {
			text = String.valueOf(value);
		}
		catch (RuntimeException ex) {
			throw new LockKeyException(describe(operation, key) + " evaluated to a " + value.getClass().getName()
					+ " whose toString() threw " + ex + "; the method did not run", ex);
		}
		if (text == null) {
			throw new LockKeyException(describe(operation, key) + " evaluated to a " + value.getClass().getName()
					+ " whose toString() returned null; the method did not run");
		}
		if (text.isBlank()) {
			throw new LockKeyException(describe(operation, key) + " evaluated to a blank value; the method did not run");
		}
		return text;
	}

	private static String describe(LockOperation operation, Expression key) {
		return "@DistributedLocked on " + operation.origin().source() + ": key '" + key.getExpressionString() + "'";
	}

}
