// Package e2e holds the end-to-end tests of countyhub: they build the
// countyhub binary and the importer plugins, run them as separate
// processes the way an operator and a county data officer would (serve,
// import, token, plugins, load, signals), and check what comes out of the
// API, the dashboard in a real browser, and the files on disk. The package
// has no code of its own.
package e2e
