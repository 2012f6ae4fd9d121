package io.grouprefunds.system;

import java.nio.file.Path;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The embedded PostgreSQL started when no {@code spring.datasource.url} is set ({@code refunds.embedded-db.*}).
 *
 * @param directory its data folder, kept between runs so that a restart finds the same ledger
 */
@ConfigurationProperties("refunds.embedded-db")
@Validated
public record EmbeddedDatabaseProperties(@DefaultValue(".group-refunds/postgres") @NotNull Path directory) {
}
