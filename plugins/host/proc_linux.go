package host

import (
	"os/exec"
	"syscall"
)

// detach makes the kernel kill the plugin when the hub dies, so a hub
// killed mid-import leaves no plugin behind.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
