package main

import "os"

func driver() string {
	if os.Getenv("APP_ENV") == "development" {
		// ruleid: backing-service-per-environment-go
		return "sqlite"
	}
	// ok: backing-service-per-environment-go
	return "postgres"
}
