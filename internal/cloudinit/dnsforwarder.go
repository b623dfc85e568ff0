package cloudinit

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/privaks/privaks/internal/bind"
)

// Paths the DNS forwarder document writes.
const (
	NamedConfOptions = "/etc/bind/named.conf.options"
	ReadyScript      = "/usr/local/bin/privaks-dns-ready"
)

// DNSOption changes DNSForwarder's output.
type DNSOption func(*dnsOptions)

type dnsOptions struct {
	probe  string
	wait   int
	update bool
}

// WithProbeName sets the name whose SOA the readiness script asks for.
// The default is the first forward zone whose name starts with
// "privatelink.", else the first forward zone, else ".".
func WithProbeName(name string) DNSOption {
	return func(o *dnsOptions) { o.probe = bind.CanonicalName(name) }
}

// WithReadyWait sets how many seconds runcmd waits for named to answer
// before cloud-init reports failure (default 120).
func WithReadyWait(seconds int) DNSOption {
	return func(o *dnsOptions) { o.wait = seconds }
}

// DNSForwarder returns the #cloud-config of the DNS forwarder VM: install
// bind9 from the distribution, write cfg (bind.Render) as
// /etc/bind/named.conf.options after the package is installed (Debian's
// and Ubuntu's named.conf include it at top level, so its zone statements
// are valid there), write the readiness script ReadyScript, check the
// configuration, then enable and restart named and wait until it answers.
// The output is deterministic.
func DNSForwarder(cfg bind.Config, opts ...DNSOption) ([]byte, error) {
	o := dnsOptions{wait: 120, update: true}
	for _, opt := range opts {
		opt(&o)
	}
	if o.probe == "" {
		o.probe = defaultProbe(cfg)
	}
	if o.wait < 0 {
		return nil, fmt.Errorf("render dns forwarder: negative ready wait %d", o.wait)
	}
	if len(cfg.Forwarders) == 0 && len(cfg.Zones) == 0 {
		return nil, fmt.Errorf("render dns forwarder: config has no forwarders")
	}
	conf := bind.Render(cfg)
	if back, err := bind.Parse(conf); err != nil {
		return nil, fmt.Errorf("render dns forwarder: rendered named.conf does not parse: %w", err)
	} else if bind.Render(back) != conf {
		return nil, fmt.Errorf("render dns forwarder: named.conf does not round-trip")
	}
	d := document{
		PackageUpdate: o.update,
		Packages:      []string{"bind9", "bind9-dnsutils"},
		WriteFiles: []writeFile{
			{Path: NamedConfOptions, Owner: "root:bind", Permissions: "0644", Content: conf, Defer: true},
			{Path: ReadyScript, Owner: "root:root", Permissions: "0755", Content: readyScript(cfg, o.probe)},
		},
		RunCmd: []any{
			[]string{"named-checkconf", "/etc/bind/named.conf"},
			[]string{"systemctl", "enable", "named"},
			[]string{"systemctl", "restart", "named"},
			[]string{ReadyScript, "--wait", strconv.Itoa(o.wait)},
		},
	}
	return marshal(d)
}

// ParseDNSForwarder returns the BIND configuration a DNSForwarder document
// installs: the content of its /etc/bind/named.conf.options, parsed.
func ParseDNSForwarder(doc []byte) (bind.Config, error) {
	d, err := unmarshal(doc)
	if err != nil {
		return bind.Config{}, err
	}
	text, err := d.content(NamedConfOptions)
	if err != nil {
		return bind.Config{}, fmt.Errorf("read dns forwarder config: %w", err)
	}
	cfg, err := bind.Parse(text)
	if err != nil {
		return bind.Config{}, fmt.Errorf("read dns forwarder config %q: %w", NamedConfOptions, err)
	}
	return cfg, nil
}

// ReadyScriptOf returns the readiness script a DNSForwarder document
// writes, so tests can run it.
func ReadyScriptOf(doc []byte) (string, error) {
	d, err := unmarshal(doc)
	if err != nil {
		return "", err
	}
	return d.content(ReadyScript)
}

func defaultProbe(cfg bind.Config) string {
	for _, z := range cfg.Zones {
		if strings.HasPrefix(bind.CanonicalName(z.Name), "privatelink.") {
			return bind.CanonicalName(z.Name)
		}
	}
	if len(cfg.Zones) > 0 {
		return bind.CanonicalName(cfg.Zones[0].Name)
	}
	return "."
}

// readyScript exits 0 once named answers the probe's SOA on the VM's
// address. PRIVAKS_DNS_IP and PRIVAKS_DNS_PORT override the address (tests
// run it against a loopback named).
func readyScript(cfg bind.Config, probe string) string {
	ip := ""
	for _, a := range cfg.ListenOn {
		if a.Is4() && a != netip.IPv4Unspecified() {
			ip = a.String()
			break
		}
	}
	port := cfg.Port
	if port == 0 {
		port = 53
	}
	return `#!/bin/sh
# privaks-dns-ready: exit 0 when named answers an SOA query for the probe
# name on this VM's address; with --wait N, retry for up to N seconds.
set -eu
ip="${PRIVAKS_DNS_IP:-` + ip + `}"
if [ -z "$ip" ]; then
	ip="$(hostname -I | awk '{print $1}')"
fi
port="${PRIVAKS_DNS_PORT:-` + strconv.Itoa(int(port)) + `}"
probe=` + shq(probe) + `
wait=0
if [ "${1:-}" = "--wait" ]; then
	wait="${2:-120}"
fi
deadline=$(($(date +%s) + wait))
while :; do
	if dig +noall +answer +time=2 +tries=1 -p "$port" "@$ip" "$probe" SOA 2>/dev/null |
		grep -q '[[:space:]]SOA[[:space:]]'; then
		exit 0
	fi
	if [ "$(date +%s)" -ge "$deadline" ]; then
		echo "privaks-dns-ready: named on $ip port $port does not answer SOA $probe" >&2
		exit 1
	fi
	sleep 2
done
`
}
