const express = require("express");
const session = require("express-session");
const multer = require("multer");
const winston = require("winston");
const mongoose = require("mongoose");
const { execSync } = require("child_process");

const app = express();
// expect: AP020, AP202
app.use(session({ secret: process.env.SESSION_SECRET }));
// expect: AP021
const upload = multer({ dest: "uploads/" });
// expect: AP003, AP010
mongoose.connect("mongodb://admin:secret@mongo:27017/app");
// expect: AP002
const apiKey = process.env.API_KEY || "dev-api-key";
const logger = winston.createLogger({
  // expect: AP070
  transports: [new winston.transports.File({ filename: "app.log" })],
});

// expect: AP200
const revision = execSync("git rev-parse HEAD").toString();
app.post("/upload", upload.single("file"), (req, res) => res.sendStatus(201));

// expect: AP030
app.listen(3000, () => logger.info("listening"));
