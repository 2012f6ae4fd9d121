package io.grouprefunds.system;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the run's meters to a Pushgateway with Prometheus' own client, in the group {@code job} (the setting) and
 * {@code provider}: one group per job and provider, replaced by each run, never one per batch. A run that ended
 * successfully replaces the whole group (PUT); any other run replaces only the families it has (POST), so the last
 * success time an earlier run left stays for the dead-man alert. A failed push is logged, never fails the run.
 */
final class PushgatewayPush {

	private static final Logger log = LoggerFactory.getLogger(PushgatewayPush.class);

	private final String setting;

	private final String job;

	PushgatewayPush(String url, String job) {
		this.setting = url.trim();
		this.job = job;
	}

	void push(PrometheusRegistry registry, String provider, boolean succeeded) {
		URI url;
		try {
			url = URI.create(setting);
		}
		catch (IllegalArgumentException ex) {
			url = null;
		}
		if (url == null || url.getHost() == null) {
			// the setting itself is not logged: it may hold a password
			log.warn("refunds.metrics.pushgateway.url is not a URL like http://pushgateway:9091; metrics not pushed");
			return;
		}
		String where = where(url);
		try {
			PushGateway.Builder builder = PushGateway.builder()
				.registry(registry)
				.format(Format.PROMETHEUS_TEXT)
				.scheme("https".equalsIgnoreCase(url.getScheme()) ? Scheme.HTTPS : Scheme.HTTP)
				.address(address(url))
				.job(job)
				.connectionTimeout(Duration.ofSeconds(5))
				.readTimeout(Duration.ofSeconds(10));
			if (provider != null) {
				builder.groupingKey("provider", provider);
			}
			if (url.getRawUserInfo() != null) {
				String[] user = url.getRawUserInfo().split(":", 2);
				builder.basicAuth(decode(user[0]), user.length > 1 ? decode(user[1]) : "");
			}
			PushGateway pushgateway = builder.build();
			if (succeeded) {
				pushgateway.push();
			}
			else {
				pushgateway.pushAdd();
			}
			log.info("metrics pushed to {} (job {}, provider {})", where, job, provider);
		}
		catch (IOException | RuntimeException ex) {
			// the client's message names the URL it built, which never holds the user info
			log.warn("could not push metrics to {}: {}", where, ex.toString());
		}
	}

	/** {@code host:port/path}: what the client puts between the scheme and {@code /metrics/job/...}. */
	private static String address(URI url) {
		String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
		return url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "") + path;
	}

	/** The URL without its user info, for the log. */
	static String where(URI url) {
		return url.getScheme() + "://" + address(url);
	}

	private static String decode(String text) {
		return URLDecoder.decode(text, StandardCharsets.UTF_8);
	}

}
