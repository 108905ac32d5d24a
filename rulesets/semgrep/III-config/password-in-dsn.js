// ruleid: password-in-dsn-javascript
mongoose.connect("mongodb://admin:secret@mongo:27017/app");
// ok: password-in-dsn-javascript
mongoose.connect(process.env.MONGO_URL);
// ok: password-in-dsn-javascript
const url = `postgres://${user}:${pass}@${host}/app`;
