package io.grouprefunds.sandbox;

/** A Rapyd error answer, thrown where the rule is checked and rendered by {@link RapydHandler}. */
final class RapydException extends RuntimeException {

	private final int httpStatus;

	private final String errorCode;

	RapydException(int httpStatus, String errorCode, String message) {
		// No stack trace: this is an answer to the client, not a failure of the sandbox.
		super(message, null, false, false);
		this.httpStatus = httpStatus;
		this.errorCode = errorCode;
	}

	/** A business rule refused the request: Rapyd answers those with HTTP 400. */
	static RapydException refused(String errorCode, String message) {
		return new RapydException(400, errorCode, message);
	}

	int httpStatus() {
		return httpStatus;
	}

	String errorCode() {
		return errorCode;
	}

}
