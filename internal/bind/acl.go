package bind

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"go4.org/netipx"
)

var anyPrefixes = []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0")}

// matchList reads an address match list into prefixes, expanding acl names.
func (p *parser) matchList(o stmt) ([]netip.Prefix, error) {
	ps := []netip.Prefix{}
	err := p.matchElems(o.block, &ps, 0)
	return ps, err
}

func (p *parser) matchElems(elems []stmt, out *[]netip.Prefix, depth int) error {
	if depth > 8 {
		return fmt.Errorf("acl nesting deeper than 8 (a loop?)")
	}
	for _, e := range elems {
		if e.hasBlock {
			if err := p.matchElems(e.block, out, depth+1); err != nil {
				return err
			}
			continue
		}
		if len(e.words) != 1 {
			return fmt.Errorf("unsupported match element %s", joinWords(e.words))
		}
		w := strings.ToLower(e.words[0].text)
		switch {
		case strings.HasPrefix(w, "!"):
			return fmt.Errorf("negated match element %q is not supported", w)
		case w == "any":
			*out = append(*out, anyPrefixes...)
		case w == "none":
		case w == "localhost" || w == "localnets":
			p.note(e.line, "%s depends on the host's interfaces; dropped", w)
		case p.acls[w] != nil:
			if err := p.matchElems(p.acls[w], out, depth+1); err != nil {
				return fmt.Errorf("acl %q: %w", w, err)
			}
		case strings.Contains(w, "/"):
			pfx, err := netip.ParsePrefix(w)
			if err != nil {
				return fmt.Errorf("parse prefix %q: %w", w, err)
			}
			*out = append(*out, pfx.Masked())
		default:
			a, err := netip.ParseAddr(w)
			if err != nil {
				return fmt.Errorf("parse match element %q: %w", w, err)
			}
			a = a.Unmap()
			*out = append(*out, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return nil
}

// allow computes the prefixes that may recurse: allow-query (default any)
// intersected with allow-recursion (default allow-query-cache, then
// allow-query, then BIND's localhost; localnets, which is not modelled).
func (p *parser) allow() ([]netip.Prefix, error) {
	rec := p.recursion
	if rec == nil {
		rec = p.queryCache
	}
	if rec == nil {
		rec = p.query
	}
	if rec == nil {
		return nil, nil
	}
	if p.query == nil || slices.Equal(*p.query, *rec) {
		return nilIfEmpty(*rec), nil
	}
	var qb, rb netipx.IPSetBuilder
	for _, pf := range *p.query {
		qb.AddPrefix(pf)
	}
	for _, pf := range *rec {
		rb.AddPrefix(pf)
	}
	rs, err := rb.IPSet()
	if err != nil {
		return nil, fmt.Errorf("build allow-recursion set: %w", err)
	}
	qb.Intersect(rs)
	set, err := qb.IPSet()
	if err != nil {
		return nil, fmt.Errorf("intersect allow-query and allow-recursion: %w", err)
	}
	return nilIfEmpty(set.Prefixes()), nil
}

func nilIfEmpty(ps []netip.Prefix) []netip.Prefix {
	if len(ps) == 0 {
		return nil
	}
	return ps
}
