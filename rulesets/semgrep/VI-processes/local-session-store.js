// ruleid: local-session-store-javascript
app.use(session({ secret: process.env.SESSION_SECRET }));
// ruleid: local-session-store-javascript
app.use(session({ store: new FileStore({ path: "./sessions" }), secret: s }));
// ok: local-session-store-javascript
app.use(session({ secret: process.env.SESSION_SECRET, store: new RedisStore({ client }) }));
