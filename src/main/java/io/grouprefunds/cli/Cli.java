package io.grouprefunds.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.grouprefunds.job.ExitCode;
import io.grouprefunds.system.SessionActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;

/**
 * The command line: parses the subcommand, starts Spring only for commands that need the ledger, and turns every
 * outcome (including configuration mistakes) into one of the documented exit codes with a message, never a stack
 * trace for the operator.
 */
@Command(name = "group-refunds", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
		// Every subcommand inherits --help and --version (-h, -V), the sandbox's included.
		scope = ScopeType.INHERIT,
		description = "Bulk group refunds from a CSV, through a payment provider, into a PostgreSQL ledger.",
		subcommands = { RunCommand.class, RestartCommand.class, RerunFailedCommand.class, ReconcileCommand.class,
				StatusCommand.class, HistoryCommand.class, ApproveCommand.class, SandboxCommand.class },
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:completed: every row SUCCEEDED or PENDING",
				"3:completed; some rows REJECTED, DECLINED or DISCREPANCY need a person",
				"4:completed; some rows RETRYABLE or UNKNOWN: rerun-failed / reconcile",
				"5:failed or stopped part-way; restartable", "6:refused (bad or already processed file); nothing sent",
				"7:configuration error; nothing more sent", "8:busy: another process holds this batch",
				"9:waiting for approval (refunds.approval.above.<CCY>): nothing sent; `approve BATCH` by another "
						+ "database login, then run the file again or `restart BATCH`",
				"1:internal error", "2:usage error" })
public class Cli {

	private static final Logger log = LoggerFactory.getLogger(Cli.class);

	/** The command being executed on this thread, as typed: the audit trail records it, secrets removed. */
	private static final ThreadLocal<List<String>> COMMAND = ThreadLocal.withInitial(List::of);

	private Cli() {
	}

	public static int execute(String... args) {
		return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
	}

	/** Runs a command with its output going to the given writers (tests read them). */
	public static int execute(PrintWriter out, PrintWriter err, String... args) {
		CommandLine commandLine = new CommandLine(new Cli());
		commandLine.setOut(out);
		commandLine.setErr(err);
		commandLine.setExecutionExceptionHandler((ex, cmd, parsed) -> handle(ex, cmd.getErr()));
		// The sandbox is a server, not a batch command: the job's exit codes, inherited with --help, are not its own.
		commandLine.getSubcommands().get("sandbox").getCommandSpec().usageMessage().exitCodeListHeading("")
			.exitCodeList(Map.of());
		COMMAND.set(List.of(args));
		try {
			return commandLine.execute(args);
		}
		finally {
			COMMAND.remove();
			out.flush();
			err.flush();
		}
	}

	private static int handle(Exception ex, PrintWriter err) {
		Optional<String> configuration = ConfigurationErrors.describe(ex);
		if (configuration.isPresent()) {
			err.println("configuration error: " + configuration.get());
			return ExitCode.CONFIGURATION_ERROR.code();
		}
		// The stack trace is for whoever investigates: it went to the log file (see withContext), never the console.
		Throwable root = NestedExceptionUtils.getMostSpecificCause(ex);
		err.println("internal error: " + (root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName())
				+ " (details in the log file)");
		return ExitCode.INTERNAL_ERROR.code();
	}

	/**
	 * Starts the application context for one command. {@code springArgs} are {@code --name=value} property overrides
	 * given on the command line; everything else comes from the environment and application properties.
	 */
	static <T> T withContext(List<String> springArgs, Function<ConfigurableApplicationContext, T> work) {
		List<String> checked = new ArrayList<>();
		for (String arg : springArgs) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new CommandLine.ParameterException(new CommandLine(new Cli()),
						"unknown option or argument: " + arg + " (settings are given as --name=value)");
			}
			checked.add(arg);
		}
		SpringApplication application = new SpringApplication(RefundsApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		// Our own hook decides the order on SIGTERM: stop the job, let it record, close the context, then exit.
		application.setRegisterShutdownHook(false);
		// Every database session of this command says who acts (system/SessionActorConfiguration), secrets removed.
		SessionActor actor = SessionActor.of(COMMAND.get());
		application.addInitializers(context -> context.getBeanFactory().registerSingleton("sessionActor", actor));
		GracefulShutdown shutdown = GracefulShutdown.install();
		T result = null;
		try (ConfigurableApplicationContext context = application.run(checked.toArray(String[]::new))) {
			try {
				result = work.apply(context);
			}
			catch (RuntimeException ex) {
				if (!(ex instanceof CommandLine.ParameterException) && ConfigurationErrors.describe(ex).isEmpty()) {
					// Logged while the log file is still set up; the console pattern leaves the stack trace out.
					log.error("command failed: {}", ex.getMessage(), ex);
				}
				throw ex;
			}
			return result;
		}
		finally {
			shutdown.done(result instanceof Integer code ? code : ExitCode.FAILED_RESTARTABLE.code());
		}
	}

}
