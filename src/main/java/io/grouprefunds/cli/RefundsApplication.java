package io.grouprefunds.cli;

import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Spring application the ledger commands start: every package of the job is scanned. It lives with the command
 * line, which is the only code that starts it, so that nothing below {@code cli} depends on the entry point. Every
 * {@code refunds.*} setting is a {@code @ConfigurationProperties} record, found by the scan and validated at startup.
 */
@SpringBootApplication(scanBasePackages = "io.grouprefunds")
@ConfigurationPropertiesScan("io.grouprefunds")
class RefundsApplication {

	/**
	 * Commands that start lazily ({@code status}) still bind and validate every settings record at start-up, so a bad
	 * value exits 7 naming the setting whatever the command, not only when a bean happens to need it.
	 */
	@Bean
	static LazyInitializationExcludeFilter settingsAreCheckedAtStart() {
		return (name, definition, type) -> type != null && type.isAnnotationPresent(ConfigurationProperties.class);
	}

}
