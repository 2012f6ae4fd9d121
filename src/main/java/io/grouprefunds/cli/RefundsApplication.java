package io.grouprefunds.cli;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Spring application the ledger commands start: every package of the job is scanned. It lives with the command
 * line, which is the only code that starts it, so that nothing below {@code cli} depends on the entry point. Every
 * {@code refunds.*} setting is a {@code @ConfigurationProperties} record, found by the scan and validated at startup.
 */
@SpringBootApplication(scanBasePackages = "io.grouprefunds")
@ConfigurationPropertiesScan("io.grouprefunds")
class RefundsApplication {

}
