package io.grouprefunds.system;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the end-of-run metrics go ({@code refunds.metrics.*}).
 *
 * @param pushgateway the Prometheus Pushgateway the meters are pushed to at the end of each run
 */
@ConfigurationProperties("refunds.metrics")
@Validated
public record MetricsProperties(@DefaultValue @Valid Pushgateway pushgateway) {

	/**
	 * @param url the Pushgateway's address, e.g. {@code http://pushgateway:9091} (a path after it is kept, user and
	 * password in it are sent as basic authentication); empty: nothing is pushed
	 * @param job the {@code job} label of the group; the group also has the provider's name as {@code provider}
	 */
	public record Pushgateway(
			@DefaultValue("") @Pattern(regexp = "|https?://\\S+", message = "must be an http:// or https:// URL") String url,
			@DefaultValue("group-refunds") @NotBlank String job) {

		boolean configured() {
			return url != null && !url.isBlank();
		}

	}

}
