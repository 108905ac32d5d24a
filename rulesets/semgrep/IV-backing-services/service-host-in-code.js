const { Pool } = require("pg");
// ruleid: service-host-in-code-javascript
mongoose.connect("mongodb://mongo:27017/app");
// ruleid: service-host-in-code-javascript
const pool = new Pool({ host: "localhost", database: "app" });
// ruleid: service-host-in-code-javascript
const client = redis.createClient({ url: "redis://redis:6379" });
// ok: service-host-in-code-javascript
mongoose.connect(process.env.MONGO_URL);
// ok: service-host-in-code-javascript
const pool2 = new Pool({ host: process.env.PGHOST });
