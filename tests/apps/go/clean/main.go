package main

import (
	"context"
	"database/sql"
	"log"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"
)

func poll(ctx context.Context) {
	ticker := time.NewTicker(time.Second)
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			log.Println("polling")
		}
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	log.SetOutput(os.Stdout)
	db, _ := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	defer db.Close()
	go poll(ctx)
	_ = exec.Command("ffmpeg", "-version").Run()
	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
}
