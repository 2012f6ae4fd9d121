package io.grouprefunds.system;

import java.util.Map;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The meter registry and the observation registry. Without Spring Boot's actuator nothing provides them, and a batch
 * job needs no scrape endpoint: the meters live in memory, in Prometheus' model, for the end-of-run summary and the
 * push to a Pushgateway. Spring Batch times every job, step and chunk through the observation registry, and the
 * observations become timers here: with this bean present, Boot's {@code BatchObservationAutoConfiguration} adds
 * Spring Batch's {@code BatchObservabilityBeanPostProcessor}, which sets it on every job and step bean.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MetricsProperties.class)
public class MetricsConfiguration {

	/** HELP text for the meters Spring Batch's observations make, which carry none of their own. */
	static final Map<String, String> OBSERVATION_HELP = Map.of("spring.batch.job",
			"Spring Batch job executions of this run and how long they took, by job and status",
			"spring.batch.step", "Spring Batch step executions of this run and how long they took, by step and status",
			"spring.batch.chunk.write", "Spring Batch chunk writes of this run and how long they took, by step");

	@Bean
	PrometheusMeterRegistry meterRegistry() {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		registry.config().meterFilter(helpForObservations());
		return registry;
	}

	/**
	 * Observations become timers; not long-task timers, whose "active now" is always zero when a run ends and is
	 * pushed. Spring Batch also observes every item read and processed: those are left out, as an observation per
	 * row costs time on a large file and says nothing the chunk and step timings do not.
	 */
	@Bean
	ObservationRegistry observationRegistry(PrometheusMeterRegistry meters) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationPredicate((name, context) -> !name.startsWith("spring.batch.item."))
			.observationHandler(new DefaultMeterObservationHandler(meters, IgnoredMeters.LONG_TASK_TIMER));
		return registry;
	}

	/** Every family pushed has HELP text (a Pushgateway convention promtool checks). */
	static MeterFilter helpForObservations() {
		return new MeterFilter() {
			@Override
			public Meter.Id map(Meter.Id id) {
				if (id.getDescription() != null || !id.getName().startsWith("spring.batch.")) {
					return id;
				}
				String help = OBSERVATION_HELP.getOrDefault(id.getName(),
						"Spring Batch observation " + id.getName());
				return new Meter.Id(id.getName(), Tags.of(id.getTags()), id.getBaseUnit(), help, id.getType());
			}
		};
	}

}
