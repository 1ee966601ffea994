//go:build !linux

package host

import "os/exec"

// detach does nothing where the kernel cannot tie a child's life to its
// parent's; such a plugin ends when its connection to the hub breaks.
func detach(*exec.Cmd) {}
