const jwt = require("jsonwebtoken");
const session = require("express-session");

// ruleid: hardcoded-secret-javascript
const jwtSecret = "my-jwt-secret";
// ruleid: hardcoded-secret-javascript
const token = jwt.sign(payload, "my-jwt-secret");
// ruleid: hardcoded-secret-javascript
app.use(session({ secret: "keyboard cat", resave: false }));
// ruleid: hardcoded-secret-javascript
config.dbPassword = "hunter22";

// ok: hardcoded-secret-javascript
const token2 = jwt.sign(payload, process.env.JWT_SECRET);
// ok: hardcoded-secret-javascript
app.use(session({ secret: process.env.SESSION_SECRET }));
// ok: hardcoded-secret-javascript
const passwordLabel = "Password";
