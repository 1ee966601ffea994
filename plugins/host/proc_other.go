//go:build !linux

package host

import (
	"os"
	"os/exec"
	"time"
)

// sandboxed says that plugins run under resource limits: not here, where
// the hub starts them directly.
const sandboxed = false

// command returns the command that starts the plugin at path in dir with
// env. Without resource limits it starts the plugin directly. The kernel
// cannot tie a child's life to its parent's here: a plugin ends when its
// connection to the hub breaks.
func command(path, dir string, env []string, _ Options) *exec.Cmd {
	cmd := exec.Command(path)
	cmd.Dir, cmd.Env = dir, env
	return cmd
}

func killedForCPU(*os.ProcessState, time.Duration) bool { return false }

func killedAtLoad(*os.ProcessState) bool { return false }

// processGone says whether no process has the pid; here it cannot tell,
// and leaves other hubs' directories alone.
func processGone(int) bool { return false }
