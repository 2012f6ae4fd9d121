package io.grouprefunds.sandbox;

/**
 * An error answer of a simulated provider, thrown where its rule is checked and written by {@link ProviderHandler}
 * in the provider's own format. No stack trace: it is an answer to the client, not a failure of the sandbox.
 */
public abstract class ProviderException extends RuntimeException {

	private final int httpStatus;

	protected ProviderException(int httpStatus, String message) {
		super(message, null, false, false);
		this.httpStatus = httpStatus;
	}

	/** The HTTP status it is answered with. */
	public int httpStatus() {
		return httpStatus;
	}

	/** The provider's error code, as the sandbox's log shows it. */
	public abstract String code();

}
