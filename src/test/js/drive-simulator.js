"use strict";
// Drives the simulated Mesos master with two clients this project did not write:
//  1. @dcos/recordio decodes a raw SUBSCRIBE stream (framing check independent of our Java reader);
//  2. the mesos-framework scheduler subscribes, accepts an offer, launches a command task and
//     acknowledges its updates until TASK_FINISHED.
// Usage: node drive-simulator.js http://127.0.0.1:PORT   -> prints one JSON summary line, exit 0 on success.
const http = require("http");
const readRecords = require("@dcos/recordio").read;
const mf = require("mesos-framework");

const master = new URL(process.argv[2]);
const summary = { recordio: null, framework: { updates: [] } };
const deadline = setTimeout(() => fail("timed out"), 45000);

function fail(why) {
  summary.error = why;
  console.log(JSON.stringify(summary));
  process.exit(1);
}

function rawSubscribe() {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ type: "SUBSCRIBE",
      subscribe: { framework_info: { user: "node", name: "recordio-probe" } } });
    const req = http.request({ host: master.hostname, port: master.port, path: "/api/v1/scheduler",
      method: "POST", headers: { "Content-Type": "application/json", "Accept": "application/json" } }, res => {
      if (res.statusCode !== 200) {
        reject(new Error("SUBSCRIBE answered " + res.statusCode));
        return;
      }
      res.setEncoding("utf8");
      let buffer = "";
      const events = [];
      res.on("data", chunk => {
        const [records, rest] = readRecords(buffer + chunk);
        buffer = rest;
        records.forEach(r => events.push(JSON.parse(r)));
        if (events.length >= 3) {
          req.destroy();
          resolve({ streamId: res.headers["mesos-stream-id"], contentType: res.headers["content-type"],
            types: events.slice(0, 3).map(e => e.type),
            frameworkId: events[0].subscribed && events[0].subscribed.framework_id.value });
        }
      });
    });
    req.on("error", e => { if (!e.message.includes("socket hang up")) reject(e); });
    req.end(body);
  });
}

rawSubscribe().then(result => {
  summary.recordio = result;
  const Mesos = mf.Mesos.getMesos();
  const scheduler = new mf.Scheduler({
    masterUrl: master.hostname,
    port: master.port,
    frameworkName: "mesos-framework-probe",
    user: "node",
    restartStates: [],
    logging: { level: "error" },
    tasks: {
      probe: {
        instances: 1,
        commandInfo: new Mesos.CommandInfo(null, null, true, "echo from-mesos-framework > node.txt", null, null),
        resources: { cpus: 0.1, mem: 32, ports: 1, disk: 0 }
      }
    },
    handlers: {
      UPDATE: function (update) {
        const status = update.status;
        summary.framework.updates.push({ task: status.task_id.value, state: status.state,
          uuid: Boolean(status.uuid) });
        if (status.uuid) {
          this.acknowledge(update);
        }
        if (status.state === "TASK_FINISHED") {
          summary.framework.frameworkId = this.frameworkId;
          clearTimeout(deadline);
          setTimeout(() => { console.log(JSON.stringify(summary)); process.exit(0); }, 300);
        }
      }
    }
  });
  scheduler.on("error", e => fail("mesos-framework error: " + (e.message || JSON.stringify(e))));
  scheduler.on("ready", () => scheduler.subscribe());
}).catch(e => fail(String(e)));
