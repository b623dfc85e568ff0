package deploy

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// DefaultStackName is the deployment stack privaks creates in the target
// resource group. One resource group holds one privaks landing zone, so the
// name is fixed: re-running apply updates the same stack.
const DefaultStackName = "privaks"

// Deny settings modes of a deployment stack (denySettings.mode).
const (
	DenyNone           = "none"
	DenyDelete         = "denyDelete"
	DenyWriteAndDelete = "denyWriteAndDelete"
)

// Option configures Apply, Destroy and Status.
type Option func(*options)

type options struct {
	stackName    string
	progress     io.Writer
	terminal     bool
	pollInterval time.Duration
	now          func() time.Time

	// Apply only.
	dryRun          bool
	prune           bool
	denyMode        string
	secrets         map[string]string
	preview         func(*Preview) (bool, error)
	verifier        Verifier
	changes         ChangeChecker
	registerTimeout time.Duration

	// Destroy only.
	confirmDestroy func(*StackStatus) (bool, error)
}

func makeOptions(opts []Option) *options {
	o := &options{
		stackName:       DefaultStackName,
		progress:        io.Discard,
		pollInterval:    10 * time.Second,
		now:             time.Now,
		denyMode:        DenyNone,
		registerTimeout: 10 * time.Minute,
	}
	for _, opt := range opts {
		opt(o)
	}
	return o
}

// WithStackName overrides DefaultStackName.
func WithStackName(name string) Option { return func(o *options) { o.stackName = name } }

// WithProgress sends progress lines (preflight results, per-resource
// deployment status) to w. terminal selects a display redrawn in place
// (ANSI cursor movement) instead of one line per state change; pass true only
// when w is an interactive terminal. Without this option the package is
// silent.
func WithProgress(w io.Writer, terminal bool) Option {
	return func(o *options) { o.progress, o.terminal = w, terminal }
}

// WithPollInterval sets how often long-running operations and deployment
// operations are polled (default 10s).
func WithPollInterval(d time.Duration) Option { return func(o *options) { o.pollInterval = d } }

// WithClock replaces time.Now, for elapsed times in tests.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithDryRun makes Apply stop after the preview: nothing is created or
// changed in Azure (provider registration in the preflight included: a dry
// run only reports unregistered providers).
func WithDryRun() Option { return func(o *options) { o.dryRun = true } }

// WithPrune makes resources that leave the template be deleted
// (actionOnUnmanage.resources = delete) instead of detached (the default).
func WithPrune() Option { return func(o *options) { o.prune = true } }

// WithDenySettings sets the stack's deny settings mode: DenyNone (default),
// DenyDelete or DenyWriteAndDelete.
func WithDenySettings(mode string) Option { return func(o *options) { o.denyMode = mode } }

// WithSecret supplies the value of a securestring template parameter. Values
// are sent to ARM only, in the what-if and stack request bodies.
func WithSecret(name, value string) Option {
	return func(o *options) {
		if o.secrets == nil {
			o.secrets = map[string]string{}
		}
		o.secrets[name] = value
	}
}

// WithPreviewHandler is called with the what-if preview before anything is
// changed; Apply proceeds only when it returns true. Without it Apply
// proceeds unconfirmed (the caller has taken the decision, e.g. --yes).
func WithPreviewHandler(f func(*Preview) (bool, error)) Option {
	return func(o *options) { o.preview = f }
}

// WithChangeChecker runs c after the preflight, before the preview, on what
// the resource group holds now (empty for a new group): a rejection stops
// apply before anything changes.
func WithChangeChecker(c ChangeChecker) Option { return func(o *options) { o.changes = c } }

// WithVerifier runs v on the resources read back after a successful
// deployment. Without it Apply only reports how many resources it read back.
func WithVerifier(v Verifier) Option { return func(o *options) { o.verifier = v } }

// WithRegistrationTimeout bounds how long the preflight waits for a
// resource provider it registered to reach Registered (default 10m).
func WithRegistrationTimeout(d time.Duration) Option {
	return func(o *options) { o.registerTimeout = d }
}

// WithDestroyConfirm is called with the stack about to be deleted; Destroy
// proceeds only when it returns true.
func WithDestroyConfirm(f func(*StackStatus) (bool, error)) Option {
	return func(o *options) { o.confirmDestroy = f }
}

// ParseDenyMode returns the canonical deny settings mode for s (case
// insensitive), or an error naming the accepted values.
func ParseDenyMode(s string) (string, error) {
	for _, m := range []string{DenyNone, DenyDelete, DenyWriteAndDelete} {
		if strings.EqualFold(s, m) {
			return m, nil
		}
	}
	return "", fmt.Errorf("parse deny settings mode %q: want %s, %s or %s", s, DenyNone, DenyDelete, DenyWriteAndDelete)
}

func (o *options) logf(format string, args ...any) {
	fmt.Fprintf(o.progress, format+"\n", args...)
}
