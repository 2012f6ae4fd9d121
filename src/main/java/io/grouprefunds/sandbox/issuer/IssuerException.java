package io.grouprefunds.sandbox.issuer;

import io.grouprefunds.sandbox.ProviderException;

/**
 * A card issuer error answer: a non-zero {@code code} with a message in both languages, HTTP 200 as the issuer's
 * answers are (inferred). The codes are the sandbox's own (no error table is public); the job's defaults for
 * {@code refunds.issuer.stop-codes} and {@code group-not-found-codes} name them.
 */
final class IssuerException extends ProviderException {

	/** The sign does not match. */
	static final int BAD_SIGN = 1001;

	/** The company id is not ours. */
	static final int UNKNOWN_COMPANY = 1002;

	/** A parameter is missing or malformed. */
	static final int BAD_PARAMETER = 1003;

	/** No such group for this company. */
	static final int GROUP_NOT_FOUND = 2001;

	/** The refund is more than the group's balance. */
	static final int INSUFFICIENT_BALANCE = 2002;

	/** Query refund: no refund of this company has that reqNo (the code SANDBOX-LIFECYCLE.md fixes). */
	static final int REFUND_NOT_FOUND = 2002;

	/** No such endpoint: answered HTTP 404, the one error that is not HTTP 200. */
	static final int NO_SUCH_API = 404;

	private final int code;

	private final String chinese;

	IssuerException(int code, String english, String chinese) {
		super((code == NO_SUCH_API) ? 404 : 200, english);
		this.code = code;
		this.chinese = chinese;
	}

	@Override
	public String code() {
		return String.valueOf(code);
	}

	int numericCode() {
		return code;
	}

	String english() {
		return getMessage();
	}

	String chinese() {
		return chinese;
	}

}
