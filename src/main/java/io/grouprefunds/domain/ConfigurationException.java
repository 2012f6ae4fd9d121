package io.grouprefunds.domain;

/**
 * The provider refused our credentials or our configuration is incomplete: nothing more can be sent until a person
 * fixes it. Ends the job FAILED (restartable) with the configuration-error exit code. Messages never carry secrets.
 */
public class ConfigurationException extends RuntimeException {

	public ConfigurationException(String message) {
		super(message);
	}

}
