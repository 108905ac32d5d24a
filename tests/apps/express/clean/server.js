const express = require("express");
const session = require("express-session");
const RedisStore = require("connect-redis").default;
const winston = require("winston");
const mongoose = require("mongoose");
const { execSync } = require("child_process");

const app = express();
app.use(session({ secret: process.env.SESSION_SECRET, store: new RedisStore({ client }) }));
mongoose.connect(process.env.MONGO_URL);
const apiKey = process.env.API_KEY;
const logger = winston.createLogger({ transports: [new winston.transports.Console()] });

const revision = execSync("git rev-parse HEAD").toString();
process.on("SIGTERM", () => process.exit(0));
setInterval(() => logger.info("alive"), 60000);

app.listen(process.env.PORT || 3000, "0.0.0.0", () => logger.info("listening"));
