package main

import (
	"database/sql"
	"log"
	"net/http"
	"os"
	"os/exec"
	"time"
)

// expect: AP001
const jwtSecret = "my-jwt-secret"

func poll() {
	// expect: AP050
	for {
		log.Println("polling")
		time.Sleep(time.Second)
	}
}

func main() {
	// expect: AP070
	f, err := os.OpenFile("app.log", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0644)
	if err != nil {
		panic(err)
	}
	log.SetOutput(f)
	// expect: AP010
	db, _ := sql.Open("postgres", "host=localhost dbname=app sslmode=disable")
	defer db.Close()
	go poll()
	// expect: AP200
	_ = exec.Command("ffmpeg", "-version").Run()
	// expect: AP030, AP031, AP201
	log.Fatal(http.ListenAndServe("localhost:8080", nil))
}
