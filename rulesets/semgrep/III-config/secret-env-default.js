// ruleid: secret-env-default-javascript
const secret = process.env.SESSION_SECRET || "keyboard cat";
// ruleid: secret-env-default-javascript
const key = process.env.API_KEY ?? "dev-api-key";
// ok: secret-env-default-javascript
const port = process.env.PORT || "3000";
// ok: secret-env-default-javascript
const secret2 = process.env.SESSION_SECRET;
