package org.jenkinsci.plugins.workflow.steps;

/** Stand-in of workflow-step-api 704 BodyInvoker.java (signatures only). */
public abstract class BodyInvoker {
    public BodyInvoker() { throw new UnsupportedOperationException(); }

    public abstract BodyInvoker withContext(Object override);

    public BodyInvoker withContexts(Object... overrides) { throw new UnsupportedOperationException(); }

    public abstract BodyInvoker withDisplayName(String name);

    public abstract BodyInvoker withCallback(BodyExecutionCallback callback);

    public abstract BodyExecution start();

    public static hudson.console.ConsoleLogFilter mergeConsoleLogFilters(hudson.console.ConsoleLogFilter original,
            hudson.console.ConsoleLogFilter subsequent) { throw new UnsupportedOperationException(); }
}
