package main

import "net/http"

func main() {
	// ruleid: listen-on-loopback-go
	http.ListenAndServe("127.0.0.1:"+port, nil)
	// ruleid: listen-on-loopback-go
	http.ListenAndServe("localhost:8080", nil)
	// ok: listen-on-loopback-go
	http.ListenAndServe(":"+port, nil)
}
