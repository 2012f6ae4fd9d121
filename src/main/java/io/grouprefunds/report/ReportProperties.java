package io.grouprefunds.report;

import java.nio.file.Path;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the reports go ({@code refunds.reports.*}).
 *
 * @param directory the folder of the result and rejected-rows CSVs, created when missing
 */
@ConfigurationProperties("refunds.reports")
@Validated
public record ReportProperties(@DefaultValue("reports") @NotNull Path directory) {
}
