package io.grouprefunds.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The operator decisions in {@code refund_event} (V5; row_id NULL): written here, INSERT only, each committed at once
 * in a transaction of its own, so a decision stays recorded whatever the command does next. The actor columns are
 * filled by the database from the session: {@code session_user}, and the OS user, host, command line and process the
 * job set on every connection (see {@code system/SessionActor}).
 */
@Component
public class DecisionEvents {

	private static final RowMapper<DecisionEvent> EVENT = DecisionEvents::event;

	private static final String COLUMNS = "event_id, kind, batch_id, detail, db_user, os_user, host, command_line, "
			+ "occurred_at";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate ownTransaction;

	public DecisionEvents(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/** Records a decision, committed at once. @param batchId null for a decision about no batch in particular */
	public void record(DecisionEvent.Kind kind, Long batchId, String detail) {
		ownTransaction.executeWithoutResult(tx -> insert(jdbc, kind, batchId, detail));
	}

	/**
	 * Records a decision that happens once per batch (APPROVAL_REQUIRED, APPROVE: unique indexes of V7).
	 * @return false when the batch already had one: nothing was recorded
	 */
	public boolean recordOnce(DecisionEvent.Kind kind, long batchId, String detail) {
		return Boolean.TRUE.equals(ownTransaction.execute(tx -> jdbc.update("INSERT INTO refund_event (kind, batch_id, "
				+ "detail) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", kind.name(), batchId, detail) == 1));
	}

	/** In the caller's transaction: a batch is created together with its RUN event (see Ledger#createBatch). */
	static void insert(JdbcTemplate jdbc, DecisionEvent.Kind kind, Long batchId, String detail) {
		jdbc.update("INSERT INTO refund_event (kind, batch_id, detail) VALUES (?, ?, ?)", kind.name(), batchId, detail);
	}

	/** The database login of this session: the identity dual control compares. */
	public String sessionUser() {
		return jdbc.queryForObject("SELECT session_user::text", String.class);
	}

	/** A batch's decisions, oldest first. */
	public List<DecisionEvent> ofBatch(long batchId) {
		return jdbc.query("SELECT " + COLUMNS + " FROM refund_event WHERE batch_id = ? AND row_id IS NULL "
				+ "ORDER BY event_id", EVENT, batchId);
	}

	/** The first decision of this kind about a batch. */
	public Optional<DecisionEvent> first(long batchId, DecisionEvent.Kind kind) {
		return jdbc.query("SELECT " + COLUMNS + " FROM refund_event WHERE batch_id = ? AND kind = ? AND row_id IS NULL "
				+ "ORDER BY event_id LIMIT 1", EVENT, batchId, kind.name()).stream().findFirst();
	}

	/** Who submitted a batch, whether it needs approval, and who approved it: read in one query. */
	public ApprovalState approvalState(long batchId) {
		List<DecisionEvent> events = jdbc.query("SELECT DISTINCT ON (kind) " + COLUMNS + " FROM refund_event "
				+ "WHERE batch_id = ? AND row_id IS NULL AND kind IN ('RUN', 'APPROVAL_REQUIRED', 'APPROVE') "
				+ "ORDER BY kind, event_id", EVENT, batchId);
		return new ApprovalState(kind(events, DecisionEvent.Kind.RUN),
				kind(events, DecisionEvent.Kind.APPROVAL_REQUIRED), kind(events, DecisionEvent.Kind.APPROVE));
	}

	private static Optional<DecisionEvent> kind(List<DecisionEvent> events, DecisionEvent.Kind kind) {
		return events.stream().filter(e -> e.is(kind)).findFirst();
	}

	private static DecisionEvent event(ResultSet rs, int n) throws SQLException {
		Long batchId = rs.getObject("batch_id", Long.class);
		return new DecisionEvent(rs.getLong("event_id"), rs.getString("kind"), batchId,
				rs.getString("detail"), rs.getString("db_user"), rs.getString("os_user"),
				rs.getString("host"), rs.getString("command_line"), rs.getTimestamp("occurred_at").toInstant());
	}

	/**
	 * A batch's dual control, from its events.
	 *
	 * @param submitted its RUN event (the submitter is its database login)
	 * @param required its APPROVAL_REQUIRED event: once recorded, the batch waits for an approval for good
	 * @param approved its APPROVE event
	 */
	public record ApprovalState(Optional<DecisionEvent> submitted, Optional<DecisionEvent> required,
			Optional<DecisionEvent> approved) {

		/** Found above a threshold and not approved: nothing of it may be sent. */
		public boolean waiting() {
			return required.isPresent() && approved.isEmpty();
		}

		/** The submitter's database login: the RUN's, else (a batch older than these events) who found it above. */
		public Optional<String> submitter() {
			return submitted.or(() -> required).map(DecisionEvent::dbUser);
		}

	}

}
