package io.grouprefunds.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.grouprefunds.domain.ConfigurationException;
import org.apache.commons.lang3.exception.ExceptionUtils;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.convert.ConversionException;
import org.springframework.util.ClassUtils;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Says what is wrong with the configuration in one line an operator can act on: the setting's name and the rule it
 * broke ({@code refunds.throttle.rapyd.rate-per-second: must be greater than or equal to 0}), whether a settings
 * record refused it at startup or a provider found it wrong when used. A value is repeated only when it could not be
 * read as a number, duration or the like: secrets are plain text, so they never are.
 */
final class ConfigurationErrors {

	/** A bracketed part of a validation path that is a map key, not a list index: {@code maxAmount[USD]}. */
	private static final Pattern MAP_KEY = Pattern.compile("\\[([^\\]0-9][^\\]]*)]");

	private ConfigurationErrors() {
	}

	/** The message of a configuration mistake among the causes of {@code failure}, if it is one. */
	static Optional<String> describe(Throwable failure) {
		ConfigurationException configuration = ExceptionUtils.throwableOfType(failure, ConfigurationException.class);
		if (configuration != null) {
			return Optional.of(configuration.getMessage());
		}
		BindException bind = ExceptionUtils.throwableOfType(failure, BindException.class);
		return bind == null ? Optional.empty() : Optional.of(describe(bind));
	}

	private static String describe(BindException bind) {
		BindValidationException invalid = ExceptionUtils.throwableOfType(bind, BindValidationException.class);
		if (invalid != null) {
			String prefix = invalid.getValidationErrors().getName().toString();
			List<String> problems = new ArrayList<>();
			for (ObjectError error : invalid.getValidationErrors()) {
				String name = error instanceof FieldError field ? prefix + "." + dashed(field.getField()) : prefix;
				problems.add(name + ": " + error.getDefaultMessage());
			}
			return String.join("; ", problems);
		}
		String name = bind.getName().toString();
		ConfigurationProperty property = bind.getProperty();
		if (ExceptionUtils.throwableOfType(bind, ConversionException.class) != null && property != null
				&& property.getName().equals(bind.getName())) {
			return name + ": '" + property.getValue() + "' is not " + kind(bind.getTarget());
		}
		// A settings record that refused its values itself says which setting, and why.
		String why = NestedExceptionUtils.getMostSpecificCause(bind).getMessage();
		return why != null && why.startsWith(name) ? why : name + ": " + why;
	}

	/** {@code rapyd.ratePerSecond} → {@code rapyd.rate-per-second}; {@code maxAmount[USD]} → {@code max-amount.USD}. */
	static String dashed(String path) {
		Matcher key = MAP_KEY.matcher(path);
		String dotted = key.replaceAll(".$1");
		List<String> parts = new ArrayList<>();
		for (String part : dotted.split("\\.")) {
			parts.add(part.equals(part.toUpperCase()) ? part : DataObjectPropertyName.toDashedForm(part));
		}
		return String.join(".", parts);
	}

	private static String kind(Bindable<?> target) {
		Class<?> type = ClassUtils.resolvePrimitiveIfNecessary(target.getType().resolve(Object.class));
		if (type == Integer.class || type == Long.class) {
			return "a whole number";
		}
		if (Number.class.isAssignableFrom(type)) {
			return "a number";
		}
		if (type == Duration.class) {
			return "a duration (write e.g. 500ms, 5s or 10m)";
		}
		if (type == Boolean.class) {
			return "true or false";
		}
		return "a valid " + type.getSimpleName();
	}

}
