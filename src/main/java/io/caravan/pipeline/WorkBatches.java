package io.caravan.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The work messages a run's plan has made and not yet sent to the broker, per job: the plan sends them
 * {@code caravan.handoff.batch} to a message, and what is left once the listing ends in one last message. A broker
 * message and its acknowledgement cost the planner, the broker and the worker about as much CPU as copying a small
 * file does, so a message per item would double the work of a run.
 */
final class WorkBatches {

    private final Map<String, Pending> byJob = new ConcurrentHashMap<>();

    /** @return a full batch to send now, or null while the batch is filling */
    List<WorkMessage> add(WorkMessage message, int size) {
        Pending pending = byJob.compute(message.job(), (job, p) ->
                p == null || !p.runId.equals(message.runId()) ? new Pending(message.runId()) : p);
        return pending.add(message, size);
    }

    /** @return the run's messages still unsent, or null when there are none */
    List<WorkMessage> rest(String job, String runId) {
        Pending pending = byJob.get(job);
        if (pending == null || !pending.runId.equals(runId)) {
            return null;
        }
        byJob.remove(job, pending);
        return pending.drain();
    }

    private static final class Pending {

        private final String runId;
        private List<WorkMessage> messages = new ArrayList<>();

        Pending(String runId) {
            this.runId = runId;
        }

        synchronized List<WorkMessage> add(WorkMessage message, int size) {
            messages.add(message);
            return messages.size() >= size ? drain() : null;
        }

        synchronized List<WorkMessage> drain() {
            if (messages.isEmpty()) {
                return null;
            }
            List<WorkMessage> full = messages;
            messages = new ArrayList<>();
            return full;
        }
    }
}
