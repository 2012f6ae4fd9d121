package io.grouprefunds.submit;

/**
 * The provider stayed down longer than the circuit breaker waits: the submit step stops, the job ends FAILED, and a
 * restart resumes at the failed chunk. Rows that were not sent are back as they were; what was in flight is recorded.
 */
class ProviderUnavailableException extends RuntimeException {

	public ProviderUnavailableException(String message) {
		super(message);
	}

}
