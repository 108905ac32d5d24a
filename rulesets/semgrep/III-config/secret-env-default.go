package main

func getenv(name, fallback string) string { return fallback }

func config() {
	// ruleid: secret-env-default-go
	secret := getenv("JWT_SECRET", "dev-jwt-secret")
	// ok: secret-env-default-go
	port := getenv("PORT", "8080")
	_, _ = secret, port
}
