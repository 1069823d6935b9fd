/**
 * A Jenkins-free client of the Mesos v1 scheduler HTTP API (no libmesos). {@link
 * io.jenkins.plugins.mesosagents.mesos.SchedulerConnection} subscribes to the master found by a
 * {@link io.jenkins.plugins.mesosagents.mesos.MasterDetector} (static list with 307 redirects, or
 * ZooKeeper), reads the RecordIO event stream in protobuf or JSON, re-subscribes with the stored
 * framework id after any loss (heartbeat watchdog, exponential backoff with jitter), and sends
 * calls asynchronously on a separate connection. It knows nothing of Jenkins, templates or the
 * engine: events go out through a {@link io.jenkins.plugins.mesosagents.mesos.SchedulerListener},
 * decisions come back as calls.
 */
package io.jenkins.plugins.mesosagents.mesos;
