package main

import (
	"database/sql"
	"os"

	"github.com/redis/go-redis/v9"
)

func connect() {
	// ruleid: service-host-in-code-go
	db, _ := sql.Open("postgres", "host=localhost dbname=app sslmode=disable")
	// ruleid: service-host-in-code-go
	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379"})
	// ok: service-host-in-code-go
	db2, _ := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	_, _, _ = db, rdb, db2
}
