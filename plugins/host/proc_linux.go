package host

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"

	"github.com/countyhub/countyhub/plugins/host/sandbox"
)

// sandboxed says that plugins run under resource limits, started through
// package sandbox.
const sandboxed = true

// command returns the command that starts the plugin at path (absolute) in
// dir with env and the limits of opts. It starts the hub's own executable
// (/proc/self/exe, which holds even when the file has since been replaced)
// with argv[0] the plugin's path: package sandbox's init sets the limits
// and executes the plugin in its place. The kernel kills the plugin when
// the hub dies, so a hub killed mid-import leaves no plugin behind.
func command(path, dir string, env []string, opts Options) *exec.Cmd {
	limits := sandbox.Limits{CPU: opts.CPULimit, Memory: opts.MemoryLimit, Files: opts.FileLimit}
	return &exec.Cmd{
		Path:        "/proc/self/exe",
		Args:        []string{path},
		Dir:         dir,
		Env:         append(env, limits.Env()),
		SysProcAttr: &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL},
	}
}

// killedForCPU says whether the kernel ended the process for its CPU time:
// SIGXCPU at the limit, or SIGKILL once it went on past it.
func killedForCPU(st *os.ProcessState, limit time.Duration) bool {
	ws, ok := st.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() {
		return false
	}
	switch ws.Signal() {
	case syscall.SIGXCPU:
		return true
	case syscall.SIGKILL:
		return st.UserTime()+st.SystemTime() >= limit
	}
	return false
}

// killedAtLoad says whether the process died of SIGSEGV, as the kernel
// ends a program whose data it cannot map within the memory limit.
func killedAtLoad(st *os.ProcessState) bool {
	ws, ok := st.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGSEGV
}

// processGone says whether no process has the pid. (A hub in another pid
// namespace sharing the temporary directory would look gone.)
func processGone(pid int) bool {
	_, err := os.Stat("/proc/" + strconv.Itoa(pid))
	return errors.Is(err, fs.ErrNotExist)
}
