package io.grouprefunds.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sandbox}: the provider simulator as a server of its own, until interrupted. No database needed. */
@Command(name = "sandbox", description = "Serve the provider sandbox on 127.0.0.1 until stopped (Ctrl-C).")
class SandboxCommand implements Callable<Integer> {

	@Option(names = "--port", defaultValue = "8089", description = "Port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
	int port;

	@Option(names = "--groups", paramLabel = "GROUPS_CSV", defaultValue = "sample-data/sandbox-rapyd-groups.csv",
			description = "Rapyd group payments to start with (default ${DEFAULT-VALUE}).")
	Path groups;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() throws InterruptedException {
		SandboxSettings settings = SandboxSettings.defaults().withPort(port);
		CountDownLatch stopped = new CountDownLatch(1);
		try (SandboxServer server = SandboxServer.start(settings)) {
			server.rapyd().loadGroupPayments(groups);
			Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
			spec.commandLine().getOut().printf("Rapyd sandbox on %s (access key %s; secret key: the sandbox default, "
					+ "see README). Ctrl-C stops it.%n", server.rapydBaseUrl(), settings.rapydAccessKey());
			spec.commandLine().getOut().flush();
			stopped.await();
		}
		return 0;
	}

}
