package io.grouprefunds.cli;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring application the ledger commands start: every package of the job is scanned. It lives with the command
 * line, which is the only code that starts it, so that nothing below {@code cli} depends on the entry point.
 */
@SpringBootApplication(scanBasePackages = "io.grouprefunds")
class RefundsApplication {

}
