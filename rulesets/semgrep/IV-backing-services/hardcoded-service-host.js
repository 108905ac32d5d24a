const { Pool } = require("pg");
// ruleid: hardcoded-service-host-javascript
mongoose.connect("mongodb://mongo:27017/app");
// ruleid: hardcoded-service-host-javascript
const pool = new Pool({ host: "localhost", database: "app" });
// ruleid: hardcoded-service-host-javascript
const client = redis.createClient({ url: "redis://redis:6379" });
// ok: hardcoded-service-host-javascript
mongoose.connect(process.env.MONGO_URL);
// ok: hardcoded-service-host-javascript
const pool2 = new Pool({ host: process.env.PGHOST });
