const url =
  // ruleid: backing-service-per-environment-javascript
  process.env.NODE_ENV === "production" ? process.env.DATABASE_URL : "sqlite::memory:";

if (process.env.NODE_ENV !== "production") {
  // ruleid: backing-service-per-environment-javascript
  store = "memory";
}
// ok: backing-service-per-environment-javascript
const db = process.env.DATABASE_URL || "postgres";
