const winston = require("winston");
const logger = winston.createLogger({
  transports: [
    // ruleid: logs-to-file-javascript
    new winston.transports.File({ filename: "combined.log" }),
    // ok: logs-to-file-javascript
    new winston.transports.Console(),
  ],
});
// ruleid: logs-to-file-javascript
const out = fs.createWriteStream("access.log", { flags: "a" });
// ok: logs-to-file-javascript
const data = fs.createWriteStream("export.csv");
