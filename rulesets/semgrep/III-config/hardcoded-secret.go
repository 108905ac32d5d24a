package main

import (
	"os"

	"github.com/golang-jwt/jwt/v5"
)

// ruleid: hardcoded-secret-go
const jwtSecret = "my-jwt-secret"

func sign(t *jwt.Token) (string, error) {
	// ruleid: hardcoded-secret-go
	dbPassword := "hunter22"
	_ = dbPassword
	// ruleid: hardcoded-secret-go
	return t.SignedString([]byte("my-jwt-secret"))
}

func signOk(t *jwt.Token) (string, error) {
	// ok: hardcoded-secret-go
	secret := os.Getenv("JWT_SECRET")
	// ok: hardcoded-secret-go
	return t.SignedString([]byte(secret))
}
