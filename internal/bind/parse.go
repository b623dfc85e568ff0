package bind

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Note records a part of a named.conf that Parse read but did not model,
// such as an include statement or an option privaks does not use.
type Note struct {
	Line int
	Text string
}

func (n Note) String() string { return fmt.Sprintf("line %d: %s", n.Line, n.Text) }

// Parse reads named.conf text: what Render writes and hand-written
// configurations of a forwarder. See ParseNotes for what is accepted.
func Parse(text string) (Config, error) {
	c, _, err := ParseNotes(text)
	return c, err
}

// ParseNotes is Parse that also returns notes on what it ignored.
//
// It reads the options block (directory, pid-file, listen-on,
// listen-on-v6, allow-query, allow-recursion, allow-query-cache,
// forwarders, forward, max-ncache-ttl, dnssec-validation, validate-except,
// querylog, recursion), zone statements of type forward, and acl
// statements used in address match lists. Comments (// # /* */) are
// dropped. include statements, other top-level statements, other options
// and zones of other types are ignored with a note. It fails on what would
// change the model's meaning: views, negated match elements, forward zones
// whose forwarders use different ports, and recursion no.
//
// The client prefixes of the result are those BIND lets recurse:
// allow-query intersected with allow-recursion (which defaults to
// allow-query-cache, then allow-query). localhost and localnets depend on
// the host's interfaces and are dropped with a note.
func ParseNotes(text string) (Config, []Note, error) {
	toks, err := lex(text)
	if err != nil {
		return Config{}, nil, fmt.Errorf("parse named.conf: %w", err)
	}
	stmts, _, err := parseStmts(toks, 0, false)
	if err != nil {
		return Config{}, nil, fmt.Errorf("parse named.conf: %w", err)
	}
	p := &parser{acls: map[string][]stmt{}, ports: map[uint16]bool{}}
	for _, s := range stmts {
		if s.keyword() == "acl" && len(s.words) == 2 && s.hasBlock {
			p.acls[strings.ToLower(s.words[1].text)] = s.block
		}
	}
	for _, s := range stmts {
		if err := p.top(s); err != nil {
			return Config{}, nil, fmt.Errorf("parse named.conf: line %d: %w", s.line, err)
		}
	}
	for _, port := range p.globalPorts {
		p.ports[port] = true
	}
	for _, i := range p.inherit {
		p.c.Zones[i].Forwarders = p.c.Forwarders
	}
	if len(p.ports) > 1 {
		return Config{}, nil, fmt.Errorf("parse named.conf: forwarders use different ports; the model has one forwarder port")
	}
	for port := range p.ports {
		p.c.ForwarderPort = port
	}
	allow, err := p.allow()
	if err != nil {
		return Config{}, nil, fmt.Errorf("parse named.conf: %w", err)
	}
	p.c.Allow = allow
	return p.c, p.notes, nil
}

type parser struct {
	c     Config
	notes []Note
	acls  map[string][]stmt
	ports map[uint16]bool
	// the three access lists as written; nil when absent.
	query, recursion, queryCache *[]netip.Prefix
	optionsSeen                  bool
	// indexes of zones without a forwarders statement: they use the
	// options forwarders.
	inherit []int
	// globalPorts are the ports of the options forwarders.
	globalPorts []uint16
}

func (p *parser) note(line int, format string, args ...any) {
	p.notes = append(p.notes, Note{Line: line, Text: fmt.Sprintf(format, args...)})
}

func (p *parser) top(s stmt) error {
	switch s.keyword() {
	case "options":
		if p.optionsSeen {
			return fmt.Errorf("second options block")
		}
		p.optionsSeen = true
		for _, o := range s.block {
			if err := p.option(o); err != nil {
				return fmt.Errorf("option %q (line %d): %w", o.keyword(), o.line, err)
			}
		}
	case "zone":
		return p.zone(s)
	case "acl":
	case "view":
		return fmt.Errorf("views are not supported")
	case "include":
		p.note(s.line, "include %s ignored: its content is not read", joinWords(s.words[1:]))
	default:
		p.note(s.line, "statement %q ignored", s.keyword())
	}
	return nil
}

func (p *parser) option(o stmt) error {
	if len(o.words) == 0 {
		return fmt.Errorf("block without a keyword")
	}
	args := o.words[1:]
	switch o.keyword() {
	case "directory":
		return oneString(args, &p.c.Directory)
	case "pid-file":
		return oneString(args, &p.c.PIDFile)
	case "listen-on", "listen-on-v6":
		return p.listen(o)
	case "allow-query", "allow-recursion", "allow-query-cache":
		ps, err := p.matchList(o)
		if err != nil {
			return err
		}
		switch o.keyword() {
		case "allow-query":
			p.query = &ps
		case "allow-recursion":
			p.recursion = &ps
		default:
			p.queryCache = &ps
		}
	case "forwarders":
		addrs, ports, err := p.forwarders(o)
		if err != nil {
			return err
		}
		p.c.Forwarders, p.globalPorts = addrs, ports
	case "forward":
		only, err := forwardMode(args)
		if err != nil {
			return err
		}
		p.c.ForwardOnly = only
	case "max-ncache-ttl":
		if len(args) != 1 {
			return fmt.Errorf("want one duration")
		}
		d, err := parseTTL(args[0].text)
		if err != nil {
			return err
		}
		p.c.MaxNCacheTTL = d
	case "dnssec-validation":
		if len(args) != 1 {
			return fmt.Errorf("want yes, no or auto")
		}
		switch v := strings.ToLower(args[0].text); v {
		case "yes", "true":
			p.c.DNSSECValidation = DNSSECYes
		case "no", "false":
			p.c.DNSSECValidation = DNSSECNo
		case "auto":
			p.c.DNSSECValidation = DNSSECAuto
		default:
			return fmt.Errorf("unknown value %q", v)
		}
	case "validate-except":
		p.c.ValidateExcept = nil
		for _, e := range o.block {
			if len(e.words) != 1 {
				return fmt.Errorf("want one name per entry")
			}
			p.c.ValidateExcept = append(p.c.ValidateExcept, CanonicalName(e.words[0].text))
		}
	case "querylog":
		v, err := boolean(args)
		if err != nil {
			return err
		}
		p.c.QueryLog = v
	case "recursion":
		v, err := boolean(args)
		if err != nil {
			return err
		}
		if !v {
			return fmt.Errorf("recursion no: the server would forward nothing")
		}
	default:
		p.note(o.line, "option %q ignored", o.keyword())
	}
	return nil
}

func (p *parser) zone(s stmt) error {
	if len(s.words) < 2 {
		return fmt.Errorf("zone without a name")
	}
	name := CanonicalName(s.words[1].text)
	if len(s.words) > 2 && !strings.EqualFold(s.words[2].text, "in") {
		p.note(s.line, "zone %q of class %s ignored", name, s.words[2].text)
		return nil
	}
	var typ string
	var fwd []netip.Addr
	var ports []uint16
	inherit := true
	for _, o := range s.block {
		switch o.keyword() {
		case "type":
			if len(o.words) != 2 {
				return fmt.Errorf("zone %q: type wants one value", name)
			}
			typ = strings.ToLower(o.words[1].text)
		case "forward":
			only, err := forwardMode(o.words[1:])
			if err != nil {
				return fmt.Errorf("zone %q: %w", name, err)
			}
			if !only {
				p.note(o.line, "zone %q: forward first modelled as forward only", name)
			}
		case "forwarders":
			addrs, ps, err := p.forwarders(o)
			if err != nil {
				return fmt.Errorf("zone %q: %w", name, err)
			}
			fwd, ports, inherit = addrs, ps, false
		default:
			p.note(o.line, "zone %q: option %q ignored", name, o.keyword())
		}
	}
	if typ != "forward" {
		p.note(s.line, "zone %q of type %q ignored", name, typ)
		return nil
	}
	if inherit {
		p.inherit = append(p.inherit, len(p.c.Zones))
	}
	for _, port := range ports {
		p.ports[port] = true
	}
	p.c.Zones = append(p.c.Zones, ForwardZone{Name: name, Forwarders: fwd})
	return nil
}

// listen reads listen-on / listen-on-v6 [port N] { addr; ... };.
func (p *parser) listen(o stmt) error {
	port, err := portArg(o.words[1:])
	if err != nil {
		return err
	}
	if port != 0 {
		if p.c.Port != 0 && p.c.Port != port {
			return fmt.Errorf("listen ports %d and %d differ; the model has one", p.c.Port, port)
		}
		p.c.Port = port
	}
	for _, e := range o.block {
		if len(e.words) != 1 {
			return fmt.Errorf("want one address per entry")
		}
		w := strings.ToLower(e.words[0].text)
		switch w {
		case "any", "none":
			continue
		}
		a, err := netip.ParseAddr(w)
		if err != nil {
			return fmt.Errorf("parse listen address %q: %w", w, err)
		}
		p.c.ListenOn = append(p.c.ListenOn, a.Unmap())
	}
	// Render writes IPv4 addresses first.
	slices.SortStableFunc(p.c.ListenOn, func(a, b netip.Addr) int {
		return boolInt(!a.Is4()) - boolInt(!b.Is4())
	})
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// forwarders reads forwarders [port N] { addr [port N]; ... };.
// The ports used are returned for the caller to record if it keeps the
// list.
func (p *parser) forwarders(o stmt) ([]netip.Addr, []uint16, error) {
	port, err := portArg(o.words[1:])
	if err != nil {
		return nil, nil, err
	}
	var ports []uint16
	addrs := []netip.Addr{}
	for _, e := range o.block {
		if len(e.words) == 0 {
			continue
		}
		a, err := netip.ParseAddr(e.words[0].text)
		if err != nil {
			return nil, nil, fmt.Errorf("parse forwarder %q: %w", e.words[0].text, err)
		}
		ep, err := portArg(e.words[1:])
		if err != nil {
			return nil, nil, err
		}
		if ep == 0 {
			ep = port
		}
		if ep == 53 {
			ep = 0
		}
		ports = append(ports, ep)
		addrs = append(addrs, a.Unmap())
	}
	if len(addrs) == 0 {
		return nil, nil, nil
	}
	return addrs, ports, nil
}

func joinWords(ws []token) string {
	var s []string
	for _, w := range ws {
		s = append(s, strconv.Quote(w.text))
	}
	return strings.Join(s, " ")
}

// portArg reads an optional "port N" (and ignores "dscp N") from words.
func portArg(ws []token) (uint16, error) {
	var port uint16
	for i := 0; i < len(ws); i += 2 {
		k := strings.ToLower(ws[i].text)
		if i+1 >= len(ws) {
			return 0, fmt.Errorf("%q without a value", k)
		}
		switch k {
		case "port":
			n, err := strconv.ParseUint(ws[i+1].text, 10, 16)
			if err != nil {
				return 0, fmt.Errorf("parse port %q: %w", ws[i+1].text, err)
			}
			port = uint16(n)
		case "dscp":
		default:
			return 0, fmt.Errorf("unexpected %q", ws[i].text)
		}
	}
	return port, nil
}

func oneString(args []token, dst *string) error {
	if len(args) != 1 {
		return fmt.Errorf("want one value")
	}
	*dst = args[0].text
	return nil
}

func forwardMode(args []token) (only bool, err error) {
	if len(args) != 1 {
		return false, fmt.Errorf("forward wants only or first")
	}
	switch v := strings.ToLower(args[0].text); v {
	case "only":
		return true, nil
	case "first":
		return false, nil
	default:
		return false, fmt.Errorf("forward %q: want only or first", v)
	}
}

func boolean(args []token) (bool, error) {
	if len(args) != 1 {
		return false, fmt.Errorf("want yes or no")
	}
	switch v := strings.ToLower(args[0].text); v {
	case "yes", "true", "1":
		return true, nil
	case "no", "false", "0":
		return false, nil
	default:
		return false, fmt.Errorf("want yes or no, got %q", v)
	}
}

// parseTTL reads a BIND duration: seconds, or units like 1h30m / 15s / 2w.
func parseTTL(s string) (time.Duration, error) {
	if n, err := strconv.ParseUint(s, 10, 32); err == nil {
		return time.Duration(n) * time.Second, nil
	}
	var total, num uint64
	digits := false
	for _, r := range strings.ToLower(s) {
		if r >= '0' && r <= '9' {
			num = num*10 + uint64(r-'0')
			digits = true
			if num > 1<<32 {
				return 0, fmt.Errorf("parse duration %q: too large", s)
			}
			continue
		}
		unit := map[rune]uint64{'s': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 604800}[r]
		if unit == 0 || !digits {
			return 0, fmt.Errorf("parse duration %q: bad unit or number", s)
		}
		total += num * unit
		num, digits = 0, false
		if total > 1<<32 {
			return 0, fmt.Errorf("parse duration %q: too large", s)
		}
	}
	if digits {
		return 0, fmt.Errorf("parse duration %q: number without unit", s)
	}
	return time.Duration(total) * time.Second, nil
}
