package main

import (
	"database/sql"
	"os"

	"github.com/redis/go-redis/v9"
)

func connect() {
	// ruleid: hardcoded-service-host-go
	db, _ := sql.Open("postgres", "host=localhost dbname=app sslmode=disable")
	// ruleid: hardcoded-service-host-go
	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379"})
	// ok: hardcoded-service-host-go
	db2, _ := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	_, _, _ = db, rdb, db2
}
