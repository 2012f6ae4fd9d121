package io.grouprefunds.sandbox.rapyd;

import io.grouprefunds.sandbox.ProviderException;

/** A Rapyd error answer, thrown where the rule is checked and written by {@link RapydHandler} in Rapyd's envelope. */
final class RapydException extends ProviderException {

	private final String errorCode;

	RapydException(int httpStatus, String errorCode, String message) {
		super(httpStatus, message);
		this.errorCode = errorCode;
	}

	/** A business rule refused the request: Rapyd answers those with HTTP 400. */
	static RapydException refused(String errorCode, String message) {
		return new RapydException(400, errorCode, message);
	}

	/** Rapyd's {@code error_code} (and {@code response_code}). */
	@Override
	public String code() {
		return errorCode;
	}

}
