package org.ffspark.cli;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.apache.logging.log4j.core.filter.AbstractFilterable;
import org.ffspark.FfsparkException;

/**
 * Keeps Spark from reporting a user's mistake found inside a task (an image of the wrong size, a
 * corrupt data file): the executor's stack trace, the scheduler's "lost task" and "aborting job"
 * lines. The command ends with ffspark's own one-line error for it; every other failure is logged
 * as before.
 */
final class UserErrorLogFilter extends AbstractFilter {
    private static final String SCHEDULER = "org.apache.spark.scheduler.TaskSetManager";

    /** Whether the scheduler's last line was about a task lost to a user's mistake. */
    private volatile boolean lostToUserError;

    private UserErrorLogFilter() {
        super(Result.DENY, Result.NEUTRAL);
    }

    /** Adds the filter to every appender of the logging configuration in use. */
    static void install() {
        if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
            return; // another logging backend: nothing to filter
        }
        UserErrorLogFilter filter = new UserErrorLogFilter();
        filter.start();
        for (Appender appender : context.getConfiguration().getAppenders().values()) {
            if (appender instanceof AbstractFilterable filterable) {
                filterable.addFilter(filter);
            }
        }
    }

    @Override
    public Result filter(LogEvent event) {
        String message = event.getMessage().getFormattedMessage();
        boolean users = FfsparkException.findIn(event.getThrown()) != null
                || message.contains(FfsparkException.class.getName());
        if (SCHEDULER.equals(event.getLoggerName())) {
            // "Task n in stage s failed k times; aborting job" follows the lost task's own line.
            boolean abortAfterUsers = lostToUserError && message.contains("aborting job");
            lostToUserError = users;
            return users || abortAfterUsers ? Result.DENY : Result.NEUTRAL;
        }
        return users ? Result.DENY : Result.NEUTRAL;
    }
}
