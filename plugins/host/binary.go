package host

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/countyhub/countyhub/plugins/internal/protocol"
	"github.com/countyhub/countyhub/plugins/internal/protoconv"
	pb "github.com/countyhub/countyhub/plugins/proto/countyhub/importer/v1"
	"github.com/countyhub/countyhub/plugins/records"
)

// Errors of plugin calls, for errors.Is. Each error says more: which
// plugin, and what it did.
var (
	// ErrNotInstalled: no binary of that name in the plugins directory.
	ErrNotInstalled = errors.New("importer not installed")
	// ErrUnpinned: the binary has no pin in the lock file.
	ErrUnpinned = errors.New("importer not pinned")
	// ErrChanged: the binary's checksum differs from its pin.
	ErrChanged = errors.New("importer binary changed since it was pinned")
	// ErrStart: the process did not start or did not complete the
	// handshake (wrong protocol version, output on stdout, not a plugin).
	ErrStart = errors.New("importer did not start")
	// ErrCrashed: the process exited during a call.
	ErrCrashed = errors.New("importer crashed")
	// ErrHung: the process went silent for longer than the idle timeout.
	ErrHung = errors.New("importer stopped responding")
	// ErrProtocol: the process broke the protocol (malformed or
	// oversized messages, counts that do not add up).
	ErrProtocol = errors.New("importer broke the protocol")
	// ErrFailed: the importer gave up on the file and said why.
	ErrFailed = errors.New("import failed")
	// ErrInvalid: the importer's description breaks the rules, or names
	// another importer than the binary's file name.
	ErrInvalid = errors.New("importer description invalid")
	// ErrLimit: the process ran into one of its resource limits (CPU
	// time, memory, open files) and was killed or gave up. The error
	// names the limit and how to raise it.
	ErrLimit = errors.New("importer exceeded a resource limit")
)

// Options tune how plugin processes are run.
type Options struct {
	// Logger receives the plugins' own log lines, under their names.
	Logger *slog.Logger
	// StartTimeout bounds process start and handshake; default 10s.
	StartTimeout time.Duration
	// CallTimeout bounds Describe; default 10s.
	CallTimeout time.Duration
	// IdleTimeout is the longest an import may go without a message from
	// the plugin before it is killed as hung; a zero or negative timeout
	// takes DefaultIdleTimeout.
	IdleTimeout time.Duration

	// Each plugin process runs under resource limits, set before any of
	// its code runs. They hold on Linux; elsewhere plugins run without
	// them. A zero or negative limit takes the default.

	// CPULimit is the CPU time a plugin process may use, in whole seconds
	// (RLIMIT_CPU); default DefaultCPULimit. It stops a plugin that spins
	// while it still sends messages, which the idle timeout lets through.
	CPULimit time.Duration
	// MemoryLimit is the memory in bytes a plugin process may map for its
	// data (RLIMIT_DATA: heap, thread stacks, private mappings; not the
	// address space the Go runtime only reserves); default
	// DefaultMemoryLimit.
	MemoryLimit int64
	// FileLimit is the number of files and sockets a plugin process may
	// hold open (RLIMIT_NOFILE); default DefaultFileLimit.
	FileLimit int

	// Hints end the errors an operator can act on with what to do.
	Hints Hints
}

// Hints say how an operator deals with a problem, in the words of the
// program that runs the host (its commands, flags and variables); the host
// adds them to its errors. An empty hint adds nothing.
type Hints struct {
	// CPU, Memory, Files and Idle say how to raise each limit: CPULimit,
	// MemoryLimit, FileLimit and IdleTimeout.
	CPU, Memory, Files, Idle string
	// Pin says how to pin the named importer of the plugins directory
	// dir, or of the hub's plugins directory, unnamed, when dir is "".
	Pin func(dir, name string) string
}

// raise is the end of an error about a limit: how to raise it, when the
// hint says.
func raise(hint string) string {
	if hint == "" {
		return ""
	}
	return "; raise the limit with " + hint
}

// pin is how to pin an importer, when the hints say, after prefix.
func (h Hints) pin(prefix, dir, name string) string {
	if h.Pin == nil {
		return ""
	}
	return prefix + h.Pin(dir, name)
}

// DefaultIdleTimeout is how long an import waits, by default, for the
// plugin's next message before it kills the plugin as hung.
const DefaultIdleTimeout = 60 * time.Second

// Default resource limits of a plugin process. The importers of the demo
// data set import their samples in under 60 ms of CPU time each, within
// 144 MiB of data and 14 open files, and the Go runtime takes most of that
// before it reads a byte: 32 MiB for the heap's arena map and, in a cgo
// build, 8 MiB of stack for each thread, so that 128 MiB fails now and
// then on two cores and more cores need more. The defaults leave room for
// county files thousands of times larger and for machines with many
// cores, while a runaway plugin is stopped before it takes the hub's
// machine.
const (
	DefaultCPULimit    = 10 * time.Minute
	DefaultMemoryLimit = 2 << 30
	DefaultFileLimit   = 256
)

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.StartTimeout == 0 {
		o.StartTimeout = 10 * time.Second
	}
	if o.CallTimeout == 0 {
		o.CallTimeout = 10 * time.Second
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.CPULimit <= 0 {
		o.CPULimit = DefaultCPULimit
	}
	if o.MemoryLimit <= 0 {
		o.MemoryLimit = DefaultMemoryLimit
	}
	if o.FileLimit <= 0 {
		o.FileLimit = DefaultFileLimit
	}
	return o
}

// Binary is one plugin binary with the checksum it must have to be run.
type Binary struct {
	Name   string
	Path   string
	SHA256 string
	opts   Options
	// procs are the processes of the binary's owner: its host, or the
	// binary itself when opened on its own.
	procs *procs
}

// OpenBinary trusts the binary at path as it is now: its checksum is
// taken, and later starts refuse it if it changes. The hub itself runs only
// pinned binaries (Host); this is for checking a binary before pinning.
// Each call stops the process it starts before it returns; cancel its
// context to end it sooner.
func OpenBinary(path string, opts Options) (*Binary, error) {
	return openBinary(path, opts.withDefaults(), newProcs())
}

func openBinary(path string, opts Options, ps *procs) (*Binary, error) {
	sum, err := fileSHA256(path)
	if err != nil {
		return nil, err
	}
	return &Binary{Name: filepath.Base(path), Path: path, SHA256: sum, opts: opts, procs: ps}, nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("open importer binary: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash importer binary %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// process is a started plugin.
type process struct {
	client *plugin.Client
	api    pb.ImporterServiceClient
	stderr *tail
	// ranOut notes what the process said about running out of memory or
	// files, anywhere in its stderr.
	ranOut *exhaustion
	// cmd has the process's state once client says it exited.
	cmd *exec.Cmd
	// dir is the process's working directory, which owner made.
	dir   string
	owner *procs
	// logger takes how the process ended and the CPU time it used.
	logger *slog.Logger
	// stopped makes stop run once; a second call waits for the first.
	stopped sync.Once
}

// killWait is how long stop waits for go-plugin to end a process before
// it kills the process itself. go-plugin first asks the process over its
// connection to exit, and waits for the answer without a deadline: a
// process that is stopped (SIGSTOP) or wedged never answers.
const killWait = 5 * time.Second

// stop ends the process, waits for it (it is reaped), and removes its
// working directory with whatever the plugin left there. Calls after the
// first wait for it to finish.
func (p *process) stop() {
	p.stopped.Do(func() {
		done := make(chan struct{})
		go func() {
			defer close(done)
			p.client.Kill()
		}()
		select {
		case <-done:
		case <-time.After(killWait):
			p.logger.Warn("plugin process did not exit when asked; killing it")
			p.kill()
			<-done
		}
		p.owner.removeWorkDir(p.dir)
		if st := p.exited(); st != nil {
			p.logger.Debug("plugin process ended", "status", st.String(), "cpu", st.UserTime()+st.SystemTime())
		}
	})
}

// kill sends the process SIGKILL (on Linux; elsewhere what os.Process.Kill
// does), which ends it even while it is stopped. stop still reaps it.
func (p *process) kill() {
	if p.cmd.Process != nil {
		_ = p.cmd.Process.Kill()
	}
}

// exited returns how the process ended, or nil while it runs.
func (p *process) exited() *os.ProcessState {
	if !p.client.Exited() {
		return nil
	}
	// go-plugin sets exited after cmd.Wait returned, under the lock
	// Exited takes: the state is there and safe to read.
	return p.cmd.ProcessState
}

// start runs the binary in a new working directory of its own, under the
// resource limits, and completes the handshake. The caller must stop the
// process.
func (b *Binary) start() (*process, error) {
	sum, err := hex.DecodeString(b.SHA256)
	if err != nil {
		return nil, fmt.Errorf("importer %s: bad checksum %q: %w", b.Name, b.SHA256, err)
	}
	// The path started is absolute: the process starts in its own
	// directory, and the sandbox executes exactly the path checked.
	path, err := filepath.Abs(b.Path)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrStart, b.Name, err)
	}
	secure := &plugin.SecureConfig{Checksum: sum, Hash: sha256.New()}
	if sandboxed {
		// The process started is the hub's own executable, which becomes
		// the plugin (see package sandbox): go-plugin's SecureConfig would
		// check the hub's binary, so the host checks the plugin's itself.
		// Between this check and the sandbox's exec of the same path, the
		// file could still be replaced; SecureConfig has the same window
		// between its check and the start. Only who may write to the
		// plugins directory closes it.
		got, err := fileSHA256(path)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrStart, b.Name, err)
		}
		if !strings.EqualFold(got, b.SHA256) {
			return nil, b.changed()
		}
		secure = nil
	}
	owner := b.procs
	if owner == nil { // a Binary made by hand
		owner = newProcs()
	}
	dir, err := owner.newWorkDir()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrStart, b.Name, err)
	}
	// No hub secrets: the plugin sees these variables and go-plugin's own.
	env := []string{"LANG=C.UTF-8", "TMPDIR=" + dir}
	cmd := command(path, dir, env, b.opts)
	p := &process{stderr: &tail{max: 4096}, ranOut: &exhaustion{}, cmd: cmd, dir: dir, owner: owner, logger: b.opts.Logger.With("plugin", b.Name)}
	p.client = plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  protocol.Handshake,
		VersionedPlugins: map[int]plugin.PluginSet{protocol.Version: {protocol.PluginName: &protocol.GRPCPlugin{}}},
		Cmd:              cmd,
		SkipHostEnv:      true,
		SecureConfig:     secure,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         true,
		StartTimeout:     b.opts.StartTimeout,
		// Not Managed: the process belongs to its owner (Host.Close),
		// not to go-plugin's process-wide list, which only grows.
		Logger:     newHCLogger(b.opts.Logger, b.Name),
		Stderr:     io.MultiWriter(p.stderr, p.ranOut),
		SyncStdout: &lineLogger{logger: b.opts.Logger, plugin: b.Name, level: slog.LevelWarn, note: "plugin wrote to stdout"},
		SyncStderr: &lineLogger{logger: b.opts.Logger, plugin: b.Name, level: slog.LevelInfo},
		GRPCDialOptions: []grpc.DialOption{grpc.WithDefaultCallOptions(
			grpc.MaxCallRecvMsgSize(protocol.MaxMessageBytes), grpc.MaxCallSendMsgSize(protocol.MaxMessageBytes))},
	})
	rpc, err := p.client.Client()
	// The process, if it started, is known to its owner's Close from here
	// on; one that started as the owner closed is stopped at once.
	if !owner.track(p) && err == nil {
		p.stop()
		return nil, fmt.Errorf("%w: %s: %w", ErrStart, b.Name, errClosed)
	}
	if err != nil {
		p.stop()
		if errors.Is(err, plugin.ErrChecksumsDoNotMatch) {
			return nil, b.changed()
		}
		if err := b.limitError(p, ""); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %s: %s%s%s", ErrStart, b.Name, firstLine(err), b.startStatus(p), p.stderr.suffix())
	}
	raw, err := rpc.Dispense(protocol.PluginName)
	if err != nil {
		p.stop()
		return nil, fmt.Errorf("%w: %s: %v", ErrStart, b.Name, err)
	}
	api, ok := raw.(pb.ImporterServiceClient)
	if !ok {
		p.stop()
		return nil, fmt.Errorf("%w: %s: unexpected client type %T", ErrStart, b.Name, raw)
	}
	p.api = api
	return p, nil
}

// startStatus says how a process that failed to start ended, if it did.
func (b *Binary) startStatus(p *process) string {
	st := p.exited()
	if st == nil {
		return ""
	}
	if sandboxed && killedAtLoad(st) && p.stderr.suffix() == "" {
		return fmt.Sprintf(" (%s: perhaps it cannot even load within its memory limit of %s%s)",
			st, mib(b.opts.MemoryLimit), raise(b.opts.Hints.Memory))
	}
	return " (" + st.String() + ")"
}

// changed is the error for a binary that differs from its pin.
func (b *Binary) changed() error {
	then := b.opts.Hints.pin(" and run ", filepath.Dir(b.Path), b.Name)
	if then == "" {
		then = " and pin it again"
	}
	return fmt.Errorf("%w: %s no longer has the pinned checksum %s; check it%s", ErrChanged, b.Path, short(b.SHA256), then)
}

// Describe starts the plugin, asks for its description, and stops it.
func (b *Binary) Describe(ctx context.Context) (records.Description, error) {
	p, err := b.start()
	if err != nil {
		return records.Description{}, err
	}
	defer p.stop()
	ctx, cancel := context.WithTimeout(ctx, b.opts.CallTimeout)
	defer cancel()
	res, err := p.api.Describe(ctx, &pb.DescribeRequest{})
	if err != nil {
		return records.Description{}, b.callError(p, ctx, "describe", err)
	}
	d := protoconv.DescriptionFromProto(res)
	if err := d.Validate(); err != nil {
		return d, fmt.Errorf("%w: %s: %v", ErrInvalid, b.Name, err)
	}
	if d.Name != b.Name {
		return d, fmt.Errorf("%w: the binary is called %s but Describe names %q: the binary's file name must be the importer's name", ErrInvalid, b.Name, d.Name)
	}
	return d, nil
}

// callError explains why a call to the plugin failed.
func (b *Binary) callError(p *process, ctx context.Context, call string, err error) error {
	// The process may be exiting; give go-plugin a moment to notice.
	for range 20 {
		if p.client.Exited() {
			return b.exitError(p, call)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: %s did not answer %s in time (%w)", ErrHung, b.Name, call, ctx.Err())
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%s with %s stopped: %w", call, b.Name, context.Cause(ctx))
	}
	return fmt.Errorf("%w: %s: %s: %v", ErrProtocol, b.Name, call, err)
}

// exitError explains why the process exited during a call: a resource
// limit, or a crash.
func (b *Binary) exitError(p *process, call string) error {
	if err := b.limitError(p, ""); err != nil {
		return err
	}
	how := ""
	if st := p.exited(); st != nil {
		how = " (" + st.String() + ")"
	}
	return fmt.Errorf("%w: %s exited during %s%s%s", ErrCrashed, b.Name, call, how, p.stderr.suffix())
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12] + "…"
	}
	return sum
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// tail keeps the last bytes written to it: the end of a plugin's stderr,
// quoted when it crashes.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = t.buf[len(t.buf)-t.max:]
	}
	return len(p), nil
}

// suffix is the tail, for the end of an error message.
func (t *tail) suffix() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.TrimSpace(string(t.buf))
	if s == "" {
		return ""
	}
	return "; its stderr ends with:\n" + s
}

// newHCLogger adapts the hub's slog logger for go-plugin, which logs the
// plugin's stderr lines through it under the plugin's name.
func newHCLogger(logger *slog.Logger, plugin string) hclog.Logger {
	l := hclog.NewInterceptLogger(&hclog.LoggerOptions{Name: "plugin", Output: io.Discard, Level: hclog.Debug})
	l.RegisterSink(slogSink{logger: logger, plugin: plugin})
	return l
}

type slogSink struct {
	logger *slog.Logger
	plugin string
}

func (s slogSink) Accept(name string, level hclog.Level, msg string, args ...any) {
	// go-plugin names a process's lines after the file it started, which
	// is the hub's own executable when the sandbox starts the plugin.
	if strings.HasPrefix(name, "plugin.") {
		name = "plugin." + s.plugin
	}
	for i := 0; i+1 < len(args); i += 2 {
		if args[i] == "plugin" || args[i] == "path" {
			args[i+1] = s.plugin
		}
	}
	// go-plugin's own account of each process (starting, started,
	// exited) is chatter at info; the host logs what matters of it.
	if name == "plugin" && level == hclog.Info {
		level = hclog.Debug
	}
	var lv slog.Level
	switch {
	case level <= hclog.Debug:
		lv = slog.LevelDebug
	case level == hclog.Info:
		lv = slog.LevelInfo
	case level == hclog.Warn:
		lv = slog.LevelWarn
	default:
		lv = slog.LevelError
	}
	ctx := context.Background()
	if !s.logger.Enabled(ctx, lv) {
		return
	}
	s.logger.Log(ctx, lv, msg, append([]any{"source", name}, args...)...)
}

// timer is the part of *time.Timer the idle watchdog uses.
type timer interface {
	Reset(time.Duration) bool
	Stop() bool
}

func afterFunc(d time.Duration, f func()) timer { return time.AfterFunc(d, f) }

// lineLogger logs what a plugin writes to its stdout or stderr after the
// handshake (go-plugin forwards both), a record per line, under the
// plugin's name. A line in hclog's JSON form keeps its level and message.
type lineLogger struct {
	logger *slog.Logger
	plugin string
	level  slog.Level
	note   string
	mu     sync.Mutex
	buf    []byte
}

func (l *lineLogger) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			break
		}
		l.log(l.buf[:i])
		l.buf = l.buf[i+1:]
	}
	if len(l.buf) > 64<<10 { // a very long line without an end
		l.log(l.buf)
		l.buf = nil
	}
	return len(p), nil
}

func (l *lineLogger) log(line []byte) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return
	}
	level, msg, attrs := l.level, string(line), []any{"source", "plugin." + l.plugin}
	var entry map[string]any
	if json.Unmarshal(line, &entry) == nil {
		if m, ok := entry["@message"].(string); ok {
			msg = m
			if lv, ok := entry["@level"].(string); ok {
				_ = level.UnmarshalText([]byte(strings.ToUpper(strings.TrimSpace(lv))))
			}
			for k, v := range entry {
				if !strings.HasPrefix(k, "@") {
					attrs = append(attrs, k, v)
				}
			}
		}
	}
	if l.note != "" {
		attrs = append(attrs, "note", l.note)
	}
	l.logger.Log(context.Background(), level, msg, attrs...)
}
