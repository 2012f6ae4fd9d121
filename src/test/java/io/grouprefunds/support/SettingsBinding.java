package io.grouprefunds.support;

import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/** Binds a settings record from a few properties as the application does, its validation included. */
public final class SettingsBinding {

	private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();

	private SettingsBinding() {
	}

	/** @throws org.springframework.boot.context.properties.bind.BindException for a value the record refuses */
	public static <T> T bind(Map<String, String> properties, String prefix, Class<T> type) {
		Binder binder = new Binder(new MapConfigurationPropertySource(properties));
		return binder.bindOrCreate(prefix, Bindable.of(type),
				new ValidationBindHandler(new SpringValidatorAdapter(VALIDATION.getValidator())));
	}

}
