const { spawn } = require("child_process");
// ruleid: process-daemonizes-javascript
const child = cp.spawn("node", ["worker.js"], { detached: true, stdio: "ignore" });
// ok: process-daemonizes-javascript
const child2 = cp.spawn("node", ["worker.js"], { stdio: "inherit" });
