package main

import (
	"net/http"
	"os"
)

func main() {
	// ruleid: hardcoded-listen-port-go
	http.ListenAndServe(":8080", nil)
	// ruleid: hardcoded-listen-port-go
	srv := &http.Server{Addr: "0.0.0.0:8080"}
	// ok: hardcoded-listen-port-go
	http.ListenAndServe(":"+os.Getenv("PORT"), nil)
	_ = srv
}
