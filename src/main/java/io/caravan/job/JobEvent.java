package io.caravan.job;

import io.caravan.report.RunReport;

/**
 * What a job made of subtasks announces: before and after the job, before and after each subtask.
 *
 * @param subtask null for the job's own events
 * @param report  the subtask's report, on {@link Phase#AFTER_SUBTASK}; null otherwise
 * @param exitCode the job's exit code so far (the worst of its subtasks'), on the after events
 */
public record JobEvent(Phase phase, String job, String subtask, RunReport report, int exitCode) {

    public enum Phase {
        BEFORE_JOB, BEFORE_SUBTASK, AFTER_SUBTASK, AFTER_JOB;

        /** The name a route sees in the CaravanEvent header: {@code before-job}, {@code after-subtask}... */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
