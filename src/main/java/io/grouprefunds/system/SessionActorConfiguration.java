package io.grouprefunds.system;

import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Every connection the job opens, to the embedded database or a server, first tells PostgreSQL who is acting (Hikari's
 * connection-init-sql, {@link SessionActor#initSql}): the audit trail's actor columns and the status-change trigger
 * read it with {@code current_setting('refunds.…', true)}. The command line sets the {@link SessionActor} bean as it
 * starts the application (see {@code cli/Cli}); without one (a context started otherwise) the command is "unknown".
 */
@Configuration(proxyBeanMethods = false)
class SessionActorConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SessionActorConfiguration.class);

	/**
	 * Before initialisation, so before anything opens a connection (the schema migration does, after initialisation),
	 * while the pool can still be configured; ordered after Boot's binding of {@code spring.datasource.hikari.*}, so
	 * that an operator's own init SQL is kept, after ours.
	 */
	@Bean
	static BeanPostProcessor sessionActorSettings(ObjectProvider<SessionActor> actor) {
		return new OrderedPostProcessor(actor);
	}

	private static final class OrderedPostProcessor implements BeanPostProcessor, Ordered {

		private final ObjectProvider<SessionActor> actor;

		OrderedPostProcessor(ObjectProvider<SessionActor> actor) {
			this.actor = actor;
		}

		@Override
		public Object postProcessBeforeInitialization(Object bean, String beanName) {
			if (bean instanceof HikariDataSource hikari) {
				SessionActor who = actor.getIfAvailable(() -> SessionActor.of(List.of("unknown")));
				String own = hikari.getConnectionInitSql();
				hikari.setConnectionInitSql(who.initSql() + (own == null || own.isBlank() ? "" : "; " + own));
				log.debug("database sessions act for {}", who);
			}
			else if (bean instanceof javax.sql.DataSource) {
				log.warn("DataSource {} is not a Hikari pool: its sessions do not carry the OS user, host and command "
						+ "line, so the audit trail records only their database login", beanName);
			}
			return bean;
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}

	}

}
