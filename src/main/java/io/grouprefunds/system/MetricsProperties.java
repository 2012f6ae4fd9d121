package io.grouprefunds.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the end-of-run metrics go ({@code refunds.metrics.*}).
 *
 * @param pushgateway the Prometheus Pushgateway the meters are pushed to at the end of each run
 */
@ConfigurationProperties("refunds.metrics")
record MetricsProperties(@DefaultValue Pushgateway pushgateway) {

	/**
	 * @param url the Pushgateway's address, e.g. {@code http://pushgateway:9091} (a path after it is kept, user and
	 * password in it are sent as basic authentication); none: nothing is pushed
	 * @param job the {@code job} label of the group; the group also has the provider's name as {@code provider}
	 */
	record Pushgateway(String url, @DefaultValue("group-refunds") String job) {

		boolean configured() {
			return url != null && !url.isBlank();
		}

	}

}
