package main

import (
	"os"
	"path/filepath"
)

func save(name string) {
	// ruleid: local-upload-path-go
	f, _ := os.Create(filepath.Join("uploads", name))
	// ok: local-upload-path-go
	g, _ := os.CreateTemp("", "scratch")
	_, _ = f, g
}
