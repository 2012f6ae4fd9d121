package io.grouprefunds.submit;

import org.springframework.core.NestedExceptionUtils;

/** Exceptions told in a few words an operator can read: the most specific cause, by name and message. */
final class Failures {

	private Failures() {
	}

	/** E.g. {@code ReadTimeoutException}, {@code ConnectException: Connection refused}; never "null". */
	static String describe(Throwable error) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(error);
		String message = cause.getMessage() == null ? "" : cause.getMessage().strip();
		return message.isEmpty() ? cause.getClass().getSimpleName()
				: cause.getClass().getSimpleName() + ": " + message;
	}

}
