function start() {
  // ruleid: worker-ignores-sigterm-javascript
  setInterval(poll, 1000);
}

function startGraceful() {
  process.on("SIGTERM", () => process.exit(0));
  // ok: worker-ignores-sigterm-javascript
  setInterval(poll, 1000);
}
