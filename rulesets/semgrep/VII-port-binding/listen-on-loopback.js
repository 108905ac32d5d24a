// ruleid: listen-on-loopback-javascript
app.listen(process.env.PORT, "localhost");
// ok: listen-on-loopback-javascript
app.listen(process.env.PORT, "0.0.0.0");
