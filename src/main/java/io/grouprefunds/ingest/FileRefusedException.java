package io.grouprefunds.ingest;

/**
 * The file as a whole is not fit to send: nothing from it will be sent. The message is for the operator and says
 * why, with a line number where there is one.
 */
public class FileRefusedException extends RuntimeException {

	public FileRefusedException(String message) {
		super(message);
	}

	public FileRefusedException(String message, Throwable cause) {
		super(message, cause);
	}

}
