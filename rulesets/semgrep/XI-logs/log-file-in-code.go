package main

import (
	"log"
	"os"
)

func setup() {
	// ruleid: log-file-in-code-go
	f, err := os.OpenFile("app.log", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0644)
	if err != nil {
		panic(err)
	}
	log.SetOutput(f)
	// ok: log-file-in-code-go
	log.SetOutput(os.Stdout)
}
