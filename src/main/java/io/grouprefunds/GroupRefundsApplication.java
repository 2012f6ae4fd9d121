package io.grouprefunds;

import io.grouprefunds.cli.Cli;

/**
 * Entry point: the command line decides what to do ({@code run}, {@code restart}, {@code status}, {@code sandbox});
 * commands that need the ledger start the Spring context themselves ({@code cli.RefundsApplication}).
 */
public final class GroupRefundsApplication {

	private GroupRefundsApplication() {
	}

	public static void main(String[] args) {
		System.exit(Cli.execute(args));
	}

}
