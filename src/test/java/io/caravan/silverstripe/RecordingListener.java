package io.caravan.silverstripe;

import io.caravan.job.JobEvent;
import io.caravan.job.JobListener;
import io.caravan.report.RunReport;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A hook from Java: keeps every event as {@code <phase> <subtask>}, and each subtask's last report. */
public final class RecordingListener implements JobListener {

    static final List<String> EVENTS = new CopyOnWriteArrayList<>();
    static final Map<String, RunReport> REPORTS = new ConcurrentHashMap<>();

    static void clear() {
        EVENTS.clear();
        REPORTS.clear();
    }

    /** How many items of the subtask's last run ended with this outcome. */
    static long outcome(String subtask, String outcome) {
        return REPORTS.get(subtask).outcomes().getOrDefault(outcome, 0L);
    }

    @Override
    public void on(JobEvent event) {
        EVENTS.add(event.phase().label() + (event.subtask() == null ? "" : " " + event.subtask()));
        if (event.report() != null) {
            REPORTS.put(event.subtask(), event.report());
        }
    }
}
