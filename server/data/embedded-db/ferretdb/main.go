// Command ferretdb-embedded runs FerretDB v1 with its SQLite backend for Loopwell's embedded defaults.
//
// It is a thin wrapper over the embeddable package github.com/FerretDB/FerretDB/ferretdb (telemetry is off there)
// because `go install .../cmd/ferretdb` panics at start without its build/version/version.txt.
// It exits when told to (SIGINT/SIGTERM), when its parent dies (PDEATHSIG), and when its standard input closes, so
// the app's database never outlives the app, even after a crash or kill -9.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("sqlite-dir", "", "existing directory for the SQLite files")
	watchStdin := flag.Bool("watch-stdin", false, "exit when standard input reaches end of file")
	flag.Parse()

	if *dir == "" {
		fmt.Fprintln(os.Stderr, "ferretdb-embedded: -sqlite-dir is required")
		os.Exit(2)
	}
	if info, err := os.Stat(*dir); err != nil || !info.IsDir() {
		fmt.Fprintf(os.Stderr, "ferretdb-embedded: -sqlite-dir %q is not an existing directory\n", *dir)
		os.Exit(2)
	}

	// Linux: ask the kernel to send SIGTERM when the parent process dies.
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGTERM), 0)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if *watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Handler:   "sqlite",
		SQLiteURL: "file:" + *dir + "/",
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-embedded:", err)
		os.Exit(1)
	}

	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, "ferretdb-embedded:", err)
		os.Exit(1)
	}
}
