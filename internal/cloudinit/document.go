package cloudinit

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
)

// Header is the first line cloud-init requires of a user-data document.
const Header = "#cloud-config\n"

// document is the subset of the cloud-config schema privaks writes. Field
// order is output order.
type document struct {
	PackageUpdate bool        `yaml:"package_update,omitempty"`
	Packages      []string    `yaml:"packages,omitempty"`
	WriteFiles    []writeFile `yaml:"write_files,omitempty"`
	RunCmd        []any       `yaml:"runcmd,omitempty"`
}

// writeFile is one write_files entry.
type writeFile struct {
	Path        string `yaml:"path"`
	Owner       string `yaml:"owner,omitempty"`
	Permissions string `yaml:"permissions,omitempty"`
	Encoding    string `yaml:"encoding,omitempty"`
	Content     string `yaml:"content"`
	// Defer writes the file in the final stage, after packages are
	// installed, so a package's own copy does not replace it.
	Defer bool `yaml:"defer,omitempty"`
}

// marshal renders d with the #cloud-config header; multi-line strings use
// literal blocks so scripts read as written.
func marshal(d document) ([]byte, error) {
	body, err := yaml.MarshalWithOptions(d, yaml.UseLiteralStyleIfMultiline(true), yaml.IndentSequence(true))
	if err != nil {
		return nil, fmt.Errorf("marshal cloud-config: %w", err)
	}
	return append([]byte(Header), body...), nil
}

// unmarshal parses a #cloud-config document.
func unmarshal(doc []byte) (document, error) {
	if !bytes.HasPrefix(doc, []byte("#cloud-config")) {
		return document{}, fmt.Errorf("parse cloud-config: missing #cloud-config header")
	}
	var d document
	if err := yaml.Unmarshal(doc, &d); err != nil {
		return document{}, fmt.Errorf("parse cloud-config: %w", err)
	}
	return d, nil
}

// content returns the decoded content of the write_files entry at path.
func (d document) content(path string) (string, error) {
	for _, f := range d.WriteFiles {
		if f.Path != path {
			continue
		}
		switch strings.ToLower(f.Encoding) {
		case "", "text/plain":
			return f.Content, nil
		case "b64", "base64":
			b, err := base64.StdEncoding.DecodeString(f.Content)
			if err != nil {
				return "", fmt.Errorf("decode %q: %w", path, err)
			}
			return string(b), nil
		default:
			return "", fmt.Errorf("decode %q: unsupported encoding %q", path, f.Encoding)
		}
	}
	return "", fmt.Errorf("find write_files entry %q: not present", path)
}

// shq quotes s for a POSIX shell.
func shq(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
