const winston = require("winston");
const logger = winston.createLogger({
  transports: [
    // ruleid: log-file-in-code-javascript
    new winston.transports.File({ filename: "combined.log" }),
    // ok: log-file-in-code-javascript
    new winston.transports.Console(),
  ],
});
// ruleid: log-file-in-code-javascript
const out = fs.createWriteStream("access.log", { flags: "a" });
// ok: log-file-in-code-javascript
const data = fs.createWriteStream("export.csv");
