package io.redraft.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For test classes that start {@link ServerProcess}es: names their log files after the running
 * test, and at the end of the class kills (by PID) every server process still alive and fails the
 * class, because a test that leaves a server behind has a bug (even if its assertions passed).
 */
public final class ServerProcessReaper implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private static volatile String currentTest = "server";

    /** The test (or class) now running, for log file names. */
    static String currentTest() {
        return currentTest;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        currentTest = context.getRequiredTestClass().getSimpleName();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        currentTest = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        int killed = ServerProcess.killAll();
        currentTest = "server";
        if (killed > 0) {
            throw new AssertionError(killed + " server process(es) were still running after "
                    + context.getRequiredTestClass().getSimpleName() + " (now killed)");
        }
    }
}
