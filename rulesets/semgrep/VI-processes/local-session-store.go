package main

import "github.com/gorilla/sessions"

// ruleid: local-session-store-go
var store = sessions.NewFilesystemStore("/tmp/sessions", []byte(key))

// ok: local-session-store-go
var cookies = sessions.NewCookieStore([]byte(key))
