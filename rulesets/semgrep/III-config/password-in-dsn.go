package main

import "database/sql"

func open() {
	// ruleid: password-in-dsn-go
	db, _ := sql.Open("postgres", "postgres://app:hunter2@db:5432/app?sslmode=disable")
	_ = db
	// ok: password-in-dsn-go
	docs := "https://pkg.go.dev/database/sql"
	_ = docs
}
