package cli

import (
	"errors"
	"regexp"
	"strings"
	"sync"
)

// reSecretName is an ARM parameter name: letters, digits, '_' and '-'
// (template parameter names are identifiers; a secret value seldom is one
// of at most 255 such characters, but messages never rely on that).
var reSecretName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,254}$`) })

func validSecretName(s string) bool { return reSecretName().MatchString(s) }

// redactedError is an error whose message had secret values replaced; it
// keeps the original chain for errors.Is/As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redactError replaces every secret value in err's message with "***", so
// that no message apply prints carries a secret, whoever wrote it (Azure's
// error details may quote a parameter value). The exit code is kept.
func redactError(err error, secrets map[string]string) error {
	if err == nil || len(secrets) == 0 {
		return err
	}
	msg := err.Error()
	red := msg
	for _, v := range secrets {
		if v != "" {
			red = strings.ReplaceAll(red, v, "***")
		}
	}
	if red == msg {
		return err
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return &ExitError{Code: ee.Code, Err: &redactedError{msg: red, err: err}}
	}
	return &redactedError{msg: red, err: err}
}
