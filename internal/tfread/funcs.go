package tfread

import (
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/google/uuid"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"github.com/zclconf/go-cty/cty/gocty"
)

// maxFileBytes bounds what file(), filebase64() and templatefile() read.
const maxFileBytes = 8 << 20

// functions returns Terraform's built-in functions: go-cty's stdlib and
// hcl's try/can for everything they provide, and, written here, the ones
// Terraform defines itself (file and path functions, CIDR arithmetic,
// hashes and encodings, a few collection helpers). Functions whose result
// exists only at apply time (uuid, timestamp, bcrypt) return named
// unknowns. See docs/terraform.md for the list.
func (r *reader) functions(baseDir string) map[string]function.Function {
	f := map[string]function.Function{
		"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "chomp": stdlib.ChompFunc,
		"chunklist": stdlib.ChunklistFunc, "coalesce": stdlib.CoalesceFunc, "coalescelist": stdlib.CoalesceListFunc,
		"compact": stdlib.CompactFunc, "concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc,
		"csvdecode": stdlib.CSVDecodeFunc, "distinct": stdlib.DistinctFunc, "element": stdlib.ElementFunc,
		"flatten": stdlib.FlattenFunc, "floor": stdlib.FloorFunc, "format": stdlib.FormatFunc,
		"formatdate": stdlib.FormatDateFunc, "formatlist": stdlib.FormatListFunc, "indent": stdlib.IndentFunc,
		"index": stdlib.IndexFunc, "join": stdlib.JoinFunc, "jsondecode": stdlib.JSONDecodeFunc,
		"jsonencode": stdlib.JSONEncodeFunc, "keys": stdlib.KeysFunc, "log": stdlib.LogFunc,
		"lower": stdlib.LowerFunc, "max": stdlib.MaxFunc, "merge": stdlib.MergeFunc,
		"min": stdlib.MinFunc, "parseint": stdlib.ParseIntFunc, "pow": stdlib.PowFunc, "range": stdlib.RangeFunc,
		"regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc, "reverse": stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc, "setproduct": stdlib.SetProductFunc,
		"setsubtract": stdlib.SetSubtractFunc, "setunion": stdlib.SetUnionFunc, "signum": stdlib.SignumFunc,
		"slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "split": stdlib.SplitFunc, "strrev": stdlib.ReverseFunc,
		"substr": stdlib.SubstrFunc, "timeadd": stdlib.TimeAddFunc, "title": stdlib.TitleFunc, "trim": stdlib.TrimFunc,
		"trimprefix": stdlib.TrimPrefixFunc, "trimspace": stdlib.TrimSpaceFunc, "trimsuffix": stdlib.TrimSuffixFunc,
		"upper": stdlib.UpperFunc, "values": stdlib.ValuesFunc, "zipmap": stdlib.ZipmapFunc,
		"try": tryfunc.TryFunc, "can": tryfunc.CanFunc,
		"tobool": stdlib.MakeToFunc(cty.Bool), "tonumber": stdlib.MakeToFunc(cty.Number),
		"tostring": stdlib.MakeToFunc(cty.String), "tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)), "tomap": stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
	}
	// Terraform's own functions, written here because no library
	// provides them outside Terraform's internal packages.
	f["length"] = lengthFunc()
	f["lookup"] = lookupFunc()
	f["replace"] = replaceFunc()
	f["one"] = oneFunc()
	f["sum"] = sumFunc()
	f["alltrue"] = boolFold(true)
	f["anytrue"] = boolFold(false)
	f["startswith"] = strPred(strings.HasPrefix)
	f["endswith"] = strPred(strings.HasSuffix)
	f["strcontains"] = strPred(strings.Contains)
	f["sensitive"], f["nonsensitive"], f["ephemeralasnull"] = identityFunc(), identityFunc(), identityFunc()
	f["issensitive"] = function.New(&function.Spec{Params: []function.Parameter{{Name: "v", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true}},
		Type: function.StaticReturnType(cty.Bool), Impl: func([]cty.Value, cty.Type) (cty.Value, error) { return cty.False, nil }})
	f["base64encode"] = strFunc(func(s string) (string, error) { return base64.StdEncoding.EncodeToString([]byte(s)), nil })
	f["base64decode"] = strFunc(func(s string) (string, error) {
		b, err := base64.StdEncoding.DecodeString(s)
		return string(b), err
	})
	f["base64gzip"] = strFunc(func(s string) (string, error) {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		_, _ = w.Write([]byte(s))
		_ = w.Close()
		return base64.StdEncoding.EncodeToString(buf.Bytes()), nil
	})
	f["urlencode"] = strFunc(func(s string) (string, error) { return url.QueryEscape(s), nil })
	f["md5"] = strFunc(func(s string) (string, error) { h := md5.Sum([]byte(s)); return hex.EncodeToString(h[:]), nil })
	f["sha1"] = strFunc(func(s string) (string, error) { h := sha1.Sum([]byte(s)); return hex.EncodeToString(h[:]), nil })
	f["sha256"] = strFunc(func(s string) (string, error) { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]), nil })
	f["sha512"] = strFunc(func(s string) (string, error) { h := sha512.Sum512([]byte(s)); return hex.EncodeToString(h[:]), nil })
	f["base64sha256"] = strFunc(func(s string) (string, error) {
		h := sha256.Sum256([]byte(s))
		return base64.StdEncoding.EncodeToString(h[:]), nil
	})
	f["base64sha512"] = strFunc(func(s string) (string, error) {
		h := sha512.Sum512([]byte(s))
		return base64.StdEncoding.EncodeToString(h[:]), nil
	})
	f["uuidv5"] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "namespace", Type: cty.String}, {Name: "name", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			ns := map[string]uuid.UUID{"dns": uuid.NameSpaceDNS, "url": uuid.NameSpaceURL, "oid": uuid.NameSpaceOID, "x500": uuid.NameSpaceX500}[args[0].AsString()]
			if ns == uuid.Nil {
				var err error
				if ns, err = uuid.Parse(args[0].AsString()); err != nil {
					return cty.NilVal, fmt.Errorf("uuidv5: namespace %q: %w", args[0].AsString(), err)
				}
			}
			return cty.StringVal(uuid.NewSHA1(ns, []byte(args[1].AsString())).String()), nil
		}})
	for _, name := range []string{"uuid", "timestamp", "plantimestamp", "bcrypt"} {
		f[name] = applyTimeFunc(name)
	}
	f["cidrhost"] = cidrHostFunc()
	f["cidrnetmask"] = cidrNetmaskFunc()
	f["cidrsubnet"] = cidrSubnetFunc()
	f["cidrsubnets"] = cidrSubnetsFunc()
	f["transpose"] = transposeFunc()
	f["matchkeys"] = matchkeysFunc()

	resolve := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(r.rootDir, p)
	}
	readFile := func(p string) ([]byte, error) {
		p = resolve(p)
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if st.Size() > maxFileBytes {
			return nil, fmt.Errorf("%s is %d bytes, over the %d-byte limit", p, st.Size(), maxFileBytes)
		}
		return os.ReadFile(p)
	}
	f["file"] = strFunc(func(p string) (string, error) { b, err := readFile(p); return string(b), err })
	f["filebase64"] = strFunc(func(p string) (string, error) {
		b, err := readFile(p)
		return base64.StdEncoding.EncodeToString(b), err
	})
	f["fileexists"] = function.New(&function.Spec{Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type: function.StaticReturnType(cty.Bool), Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			st, err := os.Stat(resolve(args[0].AsString()))
			return cty.BoolVal(err == nil && st.Mode().IsRegular()), nil
		}})
	f["abspath"] = strFunc(func(p string) (string, error) { return filepath.ToSlash(resolve(p)), nil })
	f["basename"] = strFunc(func(p string) (string, error) { return filepath.Base(p), nil })
	f["dirname"] = strFunc(func(p string) (string, error) { return filepath.Dir(p), nil })
	f["templatefile"] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "vars", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			b, err := readFile(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			expr, diags := hclsyntax.ParseTemplate(b, args[0].AsString(), hcl.InitialPos)
			if diags.HasErrors() {
				return cty.NilVal, diags
			}
			vars := map[string]cty.Value{}
			if v := args[1]; v.Type().IsObjectType() || v.Type().IsMapType() {
				for it := v.ElementIterator(); it.Next(); {
					k, e := it.Element()
					vars[k.AsString()] = e
				}
			}
			fns := r.functions(baseDir)
			delete(fns, "templatefile") // Terraform forbids recursion too
			out, diags := expr.Value(&hcl.EvalContext{Variables: vars, Functions: fns})
			if diags.HasErrors() {
				return cty.NilVal, diags
			}
			return out, nil
		}})
	return f
}

var identityFunc = sync.OnceValue(func() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "v", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowMarked: true}},
		Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
		Impl:   func(args []cty.Value, _ cty.Type) (cty.Value, error) { return args[0], nil },
	})
})

func strFunc(fn func(string) (string, error)) function.Function {
	return function.New(&function.Spec{Params: []function.Parameter{{Name: "s", Type: cty.String}},
		Type: function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			s, err := fn(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(s), nil
		}})
}

func strPred(fn func(string, string) bool) function.Function {
	return function.New(&function.Spec{Params: []function.Parameter{{Name: "s", Type: cty.String}, {Name: "x", Type: cty.String}},
		Type: function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(fn(args[0].AsString(), args[1].AsString())), nil
		}})
}

// applyTimeFunc returns a function whose value exists only at apply time:
// a named unknown string.
func applyTimeFunc(name string) function.Function {
	return function.New(&function.Spec{
		VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true},
		Type:     function.StaticReturnType(cty.String),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return cty.UnknownVal(cty.String).Mark(unk{Expr: name + "()"}), nil
		}})
}

// lookupFunc is Terraform's lookup, whose default may be null (go-cty's
// refuses null).
var lookupFunc = sync.OnceValue(func() function.Function {
	return function.New(&function.Spec{
		Params:   []function.Parameter{{Name: "inputMap", Type: cty.DynamicPseudoType}, {Name: "key", Type: cty.String}},
		VarParam: &function.Parameter{Name: "default", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true},
		Type:     function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			m, key := args[0], args[1].AsString()
			if len(args) > 3 {
				return cty.NilVal, fmt.Errorf("lookup: too many arguments")
			}
			if !m.IsNull() && (m.Type().IsMapType() || m.Type().IsObjectType()) {
				if m.Type().IsObjectType() {
					if m.Type().HasAttribute(key) {
						return m.GetAttr(key), nil
					}
				} else if m.HasIndex(cty.StringVal(key)).True() {
					return m.Index(cty.StringVal(key)), nil
				}
			} else if !m.IsNull() {
				return cty.NilVal, fmt.Errorf("lookup: the first argument must be a map or an object")
			}
			if len(args) == 3 {
				if args[2].IsNull() && m.Type().IsMapType() {
					return cty.NullVal(m.Type().ElementType()), nil
				}
				return args[2], nil
			}
			return cty.NilVal, fmt.Errorf("lookup: the given key %q does not exist in the map", key)
		}})
})

// lengthFunc is Terraform's length: collections and strings.
var lengthFunc = sync.OnceValue(func() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true}},
		Type:   function.StaticReturnType(cty.Number),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v := args[0]
			switch {
			case v.Type() == cty.String:
				if !v.IsKnown() {
					return cty.UnknownVal(cty.Number), nil
				}
				return stdlib.Strlen(v)
			case v.Type().IsTupleType() || v.Type().IsObjectType():
				return cty.NumberIntVal(int64(v.LengthInt())), nil
			case v.Type().IsCollectionType():
				return v.Length(), nil
			case !v.IsKnown():
				return cty.UnknownVal(cty.Number), nil
			}
			return cty.NilVal, fmt.Errorf("length of a %s", v.Type().FriendlyName())
		}})
})

// replaceFunc is Terraform's replace: a search string wrapped in slashes is
// a regular expression (RE2, with $1 references).
var replaceFunc = sync.OnceValue(func() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "substr", Type: cty.String}, {Name: "replace", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			s, sub, rep := args[0].AsString(), args[1].AsString(), args[2].AsString()
			if len(sub) > 1 && sub[0] == '/' && sub[len(sub)-1] == '/' {
				re, err := regexp.Compile(sub[1 : len(sub)-1])
				if err != nil {
					return cty.NilVal, err
				}
				return cty.StringVal(re.ReplaceAllString(s, rep)), nil
			}
			return cty.StringVal(strings.ReplaceAll(s, sub, rep)), nil
		}})
})

var oneFunc = sync.OnceValue(func() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v := args[0]
			if !v.CanIterateElements() {
				return cty.NilVal, fmt.Errorf("one: want a list, set or tuple")
			}
			switch v.LengthInt() {
			case 0:
				return cty.NullVal(cty.DynamicPseudoType), nil
			case 1:
				it := v.ElementIterator()
				it.Next()
				_, e := it.Element()
				return e, nil
			}
			return cty.NilVal, fmt.Errorf("one: must be a list, set or tuple of zero or one elements, got %d", v.LengthInt())
		}})
})

var sumFunc = sync.OnceValue(func() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.Number),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			total := cty.Zero
			if !args[0].CanIterateElements() {
				return cty.NilVal, fmt.Errorf("sum: want a list, set or tuple of numbers")
			}
			for it := args[0].ElementIterator(); it.Next(); {
				_, e := it.Element()
				if e.Type() != cty.Number {
					return cty.NilVal, fmt.Errorf("sum: element is %s, not a number", e.Type().FriendlyName())
				}
				total = total.Add(e)
			}
			return total, nil
		}})
})

func boolFold(all bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if !args[0].CanIterateElements() {
				return cty.NilVal, fmt.Errorf("want a list of booleans")
			}
			if !args[0].IsWhollyKnown() {
				return cty.UnknownVal(cty.Bool), nil
			}
			for it := args[0].ElementIterator(); it.Next(); {
				_, e := it.Element()
				e, _ = e.Unmark()
				b := e.Type() == cty.Bool && !e.IsNull() && e.True()
				if e.Type() == cty.String {
					b = e.AsString() == "true"
				}
				if b != all {
					return cty.BoolVal(!all), nil
				}
			}
			return cty.BoolVal(all), nil
		}})
}

var transposeFunc = sync.OnceValue(func() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "values", Type: cty.Map(cty.List(cty.String))}},
		Type:   function.StaticReturnType(cty.Map(cty.List(cty.String))),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			out := map[string][]cty.Value{}
			for it := args[0].ElementIterator(); it.Next(); {
				k, l := it.Element()
				for li := l.ElementIterator(); li.Next(); {
					_, v := li.Element()
					out[v.AsString()] = append(out[v.AsString()], k)
				}
			}
			m := map[string]cty.Value{}
			for k, l := range out {
				m[k] = cty.ListVal(l)
			}
			if len(m) == 0 {
				return cty.MapValEmpty(cty.List(cty.String)), nil
			}
			return cty.MapVal(m), nil
		}})
})

var matchkeysFunc = sync.OnceValue(func() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "values", Type: cty.List(cty.DynamicPseudoType)}, {Name: "keys", Type: cty.List(cty.DynamicPseudoType)}, {Name: "searchset", Type: cty.List(cty.DynamicPseudoType)}},
		Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
		Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
			vals, keys, search := args[0].AsValueSlice(), args[1].AsValueSlice(), args[2].AsValueSlice()
			if len(vals) != len(keys) {
				return cty.NilVal, fmt.Errorf("matchkeys: values and keys must have the same length")
			}
			var out []cty.Value
			for i, k := range keys {
				for _, s := range search {
					if k.Equals(s).True() {
						out = append(out, vals[i])
						break
					}
				}
			}
			if len(out) == 0 {
				return cty.ListValEmpty(ret.ElementType()), nil
			}
			return cty.ListVal(out), nil
		}})
})

// CIDR functions, as Terraform defines them (IPv4 and IPv6).

func parseCIDR(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return p, fmt.Errorf("invalid CIDR %q: %w", s, err)
	}
	return p.Masked(), nil
}

func addrToInt(a netip.Addr) *big.Int { b := a.AsSlice(); return new(big.Int).SetBytes(b) }

func intToAddr(n *big.Int, v6 bool) (netip.Addr, error) {
	size := 4
	if v6 {
		size = 16
	}
	b := n.Bytes()
	if len(b) > size || n.Sign() < 0 {
		return netip.Addr{}, fmt.Errorf("address out of range")
	}
	buf := make([]byte, size)
	copy(buf[size-len(b):], b)
	a, _ := netip.AddrFromSlice(buf)
	return a, nil
}

func subnet(p netip.Prefix, newbits, num int) (netip.Prefix, error) {
	total := p.Addr().BitLen()
	nl := p.Bits() + newbits
	if newbits < 0 || nl > total {
		return netip.Prefix{}, fmt.Errorf("cidrsubnet: %d new bits on %s is more than the %d-bit address has", newbits, p, total)
	}
	if num < 0 || (newbits < 63 && num >= 1<<newbits) {
		return netip.Prefix{}, fmt.Errorf("cidrsubnet: prefix extension of %d does not accommodate a subnet numbered %d", newbits, num)
	}
	base := addrToInt(p.Addr())
	base.Add(base, new(big.Int).Lsh(big.NewInt(int64(num)), uint(total-nl)))
	a, err := intToAddr(base, p.Addr().Is6())
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, nl), nil
}

var cidrSubnetFunc = sync.OnceValue(func() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "prefix", Type: cty.String}, {Name: "newbits", Type: cty.Number}, {Name: "netnum", Type: cty.Number}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p, err := parseCIDR(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			var nb, num int
			if err := gocty.FromCtyValue(args[1], &nb); err != nil {
				return cty.NilVal, err
			}
			if err := gocty.FromCtyValue(args[2], &num); err != nil {
				return cty.NilVal, err
			}
			s, err := subnet(p, nb, num)
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(s.String()), nil
		}})
})

var cidrSubnetsFunc = sync.OnceValue(func() function.Function {
	return function.New(&function.Spec{
		Params:   []function.Parameter{{Name: "prefix", Type: cty.String}},
		VarParam: &function.Parameter{Name: "newbits", Type: cty.Number},
		Type:     function.StaticReturnType(cty.List(cty.String)),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p, err := parseCIDR(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			total := p.Addr().BitLen()
			next := addrToInt(p.Addr())
			end := new(big.Int).Add(addrToInt(p.Addr()), new(big.Int).Lsh(big.NewInt(1), uint(total-p.Bits())))
			var out []cty.Value
			for _, a := range args[1:] {
				var nb int
				if err := gocty.FromCtyValue(a, &nb); err != nil {
					return cty.NilVal, err
				}
				nl := p.Bits() + nb
				if nb < 1 || nl > total {
					return cty.NilVal, fmt.Errorf("cidrsubnets: %d new bits on %s does not fit", nb, p)
				}
				size := new(big.Int).Lsh(big.NewInt(1), uint(total-nl))
				// Align next up to a multiple of size.
				rem := new(big.Int).Mod(next, size)
				if rem.Sign() != 0 {
					next.Add(next, new(big.Int).Sub(size, rem))
				}
				if new(big.Int).Add(next, size).Cmp(end) > 0 {
					return cty.NilVal, fmt.Errorf("cidrsubnets: not enough remaining address space in %s", p)
				}
				addr, err := intToAddr(next, p.Addr().Is6())
				if err != nil {
					return cty.NilVal, err
				}
				out = append(out, cty.StringVal(netip.PrefixFrom(addr, nl).String()))
				next = new(big.Int).Add(next, size)
			}
			if len(out) == 0 {
				return cty.ListValEmpty(cty.String), nil
			}
			return cty.ListVal(out), nil
		}})
})

var cidrHostFunc = sync.OnceValue(func() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "prefix", Type: cty.String}, {Name: "hostnum", Type: cty.Number}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p, err := parseCIDR(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			var n int64
			if err := gocty.FromCtyValue(args[1], &n); err != nil {
				return cty.NilVal, err
			}
			hostBits := p.Addr().BitLen() - p.Bits()
			size := new(big.Int).Lsh(big.NewInt(1), uint(hostBits))
			num := big.NewInt(n)
			if n < 0 {
				num.Add(size, num)
			}
			if num.Sign() < 0 || num.Cmp(size) >= 0 {
				return cty.NilVal, fmt.Errorf("cidrhost: prefix %s has no host number %d", p, n)
			}
			a, err := intToAddr(new(big.Int).Add(addrToInt(p.Addr()), num), p.Addr().Is6())
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(a.String()), nil
		}})
})

var cidrNetmaskFunc = sync.OnceValue(func() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "prefix", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p, err := parseCIDR(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			if !p.Addr().Is4() {
				return cty.NilVal, fmt.Errorf("cidrnetmask: only IPv4 prefixes have a netmask")
			}
			m := uint32(0xffffffff) << (32 - p.Bits())
			if p.Bits() == 0 {
				m = 0
			}
			return cty.StringVal(netip.AddrFrom4([4]byte{byte(m >> 24), byte(m >> 16), byte(m >> 8), byte(m)}).String()), nil
		}})
})
