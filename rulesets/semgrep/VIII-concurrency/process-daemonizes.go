package main

import (
	"os/exec"
	"syscall"
)

func run() {
	cmd := exec.Command("worker")
	// ruleid: process-daemonizes-go
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	// ok: process-daemonizes-go
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
