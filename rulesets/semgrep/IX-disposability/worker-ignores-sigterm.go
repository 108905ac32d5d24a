package main

import (
	"os"
	"os/signal"
	"syscall"
	"time"
)

func worker() {
	// ruleid: worker-ignores-sigterm-go
	for {
		poll()
		time.Sleep(time.Second)
	}
}

func graceful() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM)
	// ok: worker-ignores-sigterm-go
	for {
		poll()
		time.Sleep(time.Second)
	}
}
