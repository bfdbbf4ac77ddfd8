// Package local is a module replaced by a local directory, for build-info tests.
package local

// Name names this module.
const Name = "example.com/dockaudit/local"
