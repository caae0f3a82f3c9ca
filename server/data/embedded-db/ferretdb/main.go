// Command ferretdb-embedded runs Loopwell's embedded database: PostgreSQL, started and owned by this process, with
// FerretDB v1 (PostgreSQL handler) in front of it speaking the MongoDB wire protocol on a loopback port.
//
// It is a thin wrapper over the embeddable package github.com/FerretDB/FerretDB/ferretdb (telemetry is off there)
// because `go install .../cmd/ferretdb` panics at start without its build/version/version.txt.
//
// Lifetime: it exits when told to (SIGINT/SIGTERM), when its parent dies (PDEATHSIG), when its standard input closes,
// and when PostgreSQL dies; PostgreSQL gets a fast shutdown when this process exits or dies (its own PDEATHSIG), so
// nothing outlives the app, even after a crash or kill -9. Exit code 3 means PostgreSQL died under us.
//
// PostgreSQL refuses to run as root, so when we are root it runs as an unprivileged user (default "nobody") that owns
// the data directory. It listens on 127.0.0.1 only, with password authentication, and no unix socket.
//
// With -sqlite-dir instead of -pgdata it serves an old SQLite data folder, so that data can be copied out once.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/jackc/pgx/v5"
)

const pgUser = "loopwell"
const pgDatabase = "ferretdb"

type options struct {
	listen     string
	sqliteDir  string
	pgBin      string
	pgData     string
	pgPort     int
	pgPassword string
	runAs      string
	fsync      bool
	watchStdin bool
}

func main() {
	var o options
	var passwordFile string
	flag.StringVar(&o.listen, "listen", "127.0.0.1:27017", "TCP address for the MongoDB wire protocol")
	flag.StringVar(&o.sqliteDir, "sqlite-dir", "", "serve an old SQLite data folder instead of PostgreSQL")
	flag.StringVar(&o.pgBin, "postgres-bin", "", "folder holding the postgres and initdb programs")
	flag.StringVar(&o.pgData, "pgdata", "", "PostgreSQL data folder (created on first start)")
	flag.IntVar(&o.pgPort, "pg-port", 0, "loopback port for PostgreSQL")
	flag.StringVar(&passwordFile, "pg-password-file", "", "file holding the PostgreSQL password for the loopwell role")
	flag.StringVar(&o.runAs, "run-as", "nobody", "user to run PostgreSQL as when this process is root")
	flag.BoolVar(&o.fsync, "fsync", true, "PostgreSQL fsync (off only for throwaway test data)")
	flag.BoolVar(&o.watchStdin, "watch-stdin", false, "exit when standard input reaches end of file")
	flag.Parse()

	// Linux: ask the kernel to send SIGTERM when the parent process dies.
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGTERM), 0)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if o.watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	if o.sqliteDir != "" {
		os.Exit(runFerret(ctx, &ferretdb.Config{
			Handler:   "sqlite",
			SQLiteURL: "file:" + o.sqliteDir + "/",
			Listener:  ferretdb.ListenerConfig{TCP: o.listen},
		}))
	}

	if o.pgBin == "" || o.pgData == "" || o.pgPort == 0 || passwordFile == "" {
		fail(2, "-postgres-bin, -pgdata, -pg-port and -pg-password-file are required")
	}
	pw, err := os.ReadFile(passwordFile)
	if err != nil {
		fail(2, "reading the password file: %v", err)
	}
	o.pgPassword = strings.TrimSpace(string(pw))

	cred, err := credentialFor(o.runAs)
	if err != nil {
		fail(2, "%v", err)
	}
	if err := prepareDataDir(&o, cred); err != nil {
		fail(1, "%v", err)
	}
	pg, pgExited, err := startPostgres(&o, cred)
	if err != nil {
		fail(1, "%v", err)
	}
	stopPostgres := func() {
		if pg.ProcessState != nil {
			return
		}
		_ = pg.Process.Signal(syscall.SIGINT) // fast shutdown: roll back open transactions, checkpoint, exit
		select {
		case <-pgExited:
		case <-time.After(20 * time.Second):
			_ = pg.Process.Signal(syscall.SIGQUIT)
			<-pgExited
		}
	}

	url := fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/%s?sslmode=disable", pgUser, o.pgPassword, o.pgPort, pgDatabase)
	if err := waitForPostgres(ctx, &o, pgExited); err != nil {
		stopPostgres()
		fail(1, "%v", err)
	}

	// PostgreSQL dying under us ends us at once, with a distinct code, so that the app stops sending queries that can
	// only fail and restarts us. (A graceful FerretDB shutdown would wait for the app's pooled connections.)
	go func() {
		select {
		case <-pgExited:
			if ctx.Err() == nil {
				fmt.Fprintln(os.Stderr, "ferretdb-embedded: PostgreSQL exited unexpectedly")
				os.Exit(3)
			}
		case <-ctx.Done():
		}
	}()

	code := runFerret(ctx, &ferretdb.Config{
		Handler:       "postgresql",
		PostgreSQLURL: url,
		Listener:      ferretdb.ListenerConfig{TCP: o.listen},
	})
	stopPostgres()
	os.Exit(code)
}

func fail(code int, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ferretdb-embedded: "+format+"\n", args...)
	os.Exit(code)
}

func runFerret(ctx context.Context, config *ferretdb.Config) int {
	f, err := ferretdb.New(config)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-embedded:", err)
		return 1
	}
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, "ferretdb-embedded:", err)
		return 1
	}
	return 0
}

// credentialFor returns the user PostgreSQL runs as: nil (ourselves) unless we are root.
func credentialFor(name string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL cannot run as root and user %q was not found: %w", name, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
}

// prepareDataDir makes sure the PostgreSQL data folder exists, belongs to the user PostgreSQL runs as, and is
// initialised (initdb on first start).
func prepareDataDir(o *options, cred *syscall.Credential) error {
	if err := os.MkdirAll(o.pgData, 0o700); err != nil {
		return err
	}
	if cred != nil {
		if err := checkReachable(o.pgData, cred); err != nil {
			return err
		}
		if err := chownTree(o.pgData, int(cred.Uid), int(cred.Gid)); err != nil {
			return err
		}
	}
	if _, err := os.Stat(filepath.Join(o.pgData, "PG_VERSION")); err == nil {
		return nil
	}
	// initdb wants an empty folder; a half-made one from an interrupted first start is cleared.
	entries, _ := os.ReadDir(o.pgData)
	for _, e := range entries {
		_ = os.RemoveAll(filepath.Join(o.pgData, e.Name()))
	}
	pwFile := filepath.Join(o.pgData, "..", ".initdb-password")
	if err := os.WriteFile(pwFile, []byte(o.pgPassword+"\n"), 0o600); err != nil {
		return err
	}
	defer os.Remove(pwFile)
	if cred != nil {
		if err := os.Chown(pwFile, int(cred.Uid), int(cred.Gid)); err != nil {
			return err
		}
	}
	cmd := exec.Command(filepath.Join(o.pgBin, "initdb"),
		"-D", o.pgData, "-U", pgUser, "--pwfile", pwFile, "--auth", "scram-sha-256",
		"-E", "UTF8", "--locale", "C", "--no-instructions")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	cmd.Dir = "/"
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("initdb failed: %v: %s", err, lastLines(string(out), 8))
	}
	return nil
}

// checkReachable explains, instead of a cryptic PostgreSQL error, when the unprivileged user cannot reach the folder.
func checkReachable(dir string, cred *syscall.Credential) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	for p := filepath.Dir(abs); ; p = filepath.Dir(p) {
		info, err := os.Stat(p)
		if err != nil {
			return err
		}
		st := info.Sys().(*syscall.Stat_t)
		mode := info.Mode().Perm()
		ok := mode&0o001 != 0 || (st.Uid == cred.Uid && mode&0o100 != 0) || (st.Gid == cred.Gid && mode&0o010 != 0)
		if !ok {
			return fmt.Errorf("PostgreSQL runs as an unprivileged user when the app is root, and that user cannot "+
				"reach %s because %s is not searchable by others: choose a DATA_DIR it can reach, or run the app as "+
				"an ordinary user", abs, p)
		}
		if p == "/" {
			return nil
		}
	}
}

func chownTree(root string, uid, gid int) error {
	return filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
}

func startPostgres(o *options, cred *syscall.Credential) (*exec.Cmd, chan struct{}, error) {
	// Remove a stale pid file left by a PostgreSQL that was killed together with a crashed host process; PostgreSQL
	// itself refuses to start while the process it names is alive, which protects a folder in use.
	pidFile := filepath.Join(o.pgData, "postmaster.pid")
	if b, err := os.ReadFile(pidFile); err == nil {
		if pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])); err == nil {
			if syscall.Kill(pid, 0) != nil {
				_ = os.Remove(pidFile)
			}
		}
	}
	args := []string{
		"-D", o.pgData,
		"-c", "listen_addresses=127.0.0.1",
		"-c", "port=" + strconv.Itoa(o.pgPort),
		"-c", "unix_socket_directories=",
		// FerretDB sends the field name as a query parameter; custom plans let PostgreSQL match it to the GIN
		// expression indexes instead of settling on a generic plan that cannot.
		"-c", "plan_cache_mode=force_custom_plan",
		"-c", "shared_buffers=128MB",
		"-c", "max_connections=200",
		"-c", "logging_collector=off",
		"-c", "log_min_messages=warning",
	}
	if !o.fsync {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	cmd := exec.Command(filepath.Join(o.pgBin, "postgres"), args...)
	// PDEATHSIG fires when the thread that started the child exits, so start it from a locked thread that never
	// exits while we live.
	started := make(chan error, 1)
	exited := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGINT, Setpgid: true}
		cmd.Dir = "/"
		cmd.Stdout = os.Stderr
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		_ = cmd.Wait()
		close(exited)
		select {} // keep this thread (and PDEATHSIG's parent thread) for our whole life
	}()
	if err := <-started; err != nil {
		return nil, nil, fmt.Errorf("starting PostgreSQL: %w", err)
	}
	return cmd, exited, nil
}

func waitForPostgres(ctx context.Context, o *options, exited chan struct{}) error {
	deadline := time.Now().Add(60 * time.Second)
	admin := fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=2", pgUser,
		o.pgPassword, o.pgPort)
	for {
		select {
		case <-exited:
			return errors.New("PostgreSQL exited at start (see the lines above)")
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		conn, err := pgx.Connect(ctx, admin)
		if err == nil {
			defer conn.Close(context.Background())
			var exists bool
			if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)",
				pgDatabase).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgDatabase); err != nil {
					return err
				}
			}
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("PostgreSQL did not answer within 60 s: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
