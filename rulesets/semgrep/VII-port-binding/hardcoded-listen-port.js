// ruleid: hardcoded-listen-port-javascript
app.listen(3000, () => console.log("up"));
// ok: hardcoded-listen-port-javascript
app.listen(process.env.PORT || 3000);
// ok: hardcoded-listen-port-javascript
app.listen(port);
