package report_test

// The browser tests open reports in Debian's Chromium, headless, driven
// over the DevTools protocol (chromedp). One browser is started for the
// package, talking over a pipe (--remote-debugging-pipe: no port is opened
// at all), with a new empty profile, bounded in time, and killed when the
// tests end. Without Chromium the tests fail: install it with
// scripts/install-test-deps.sh.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/privaks/privaks/internal/diagram"
	"github.com/privaks/privaks/internal/report"
	"github.com/privaks/privaks/internal/twin"
)

// browserBound bounds everything the package does in the browser; a hang
// guard, not a performance assertion.
const browserBound = 15 * time.Minute

var (
	browserCtx  context.Context
	browserErr  error
	browserOnce sync.Once
	stopBrowser = func() {}
)

func TestMain(m *testing.M) {
	code := m.Run()
	stopBrowser()
	os.Exit(code)
}

// browser returns the shared browser, starting it on first use.
func browser(t testing.TB) context.Context {
	t.Helper()
	browserOnce.Do(func() {
		path, err := chromiumPath()
		if err != nil {
			browserErr = err
			return
		}
		profile, err := os.MkdirTemp("", "privaks-chromium-")
		if err != nil {
			browserErr = err
			return
		}
		var log bytes.Buffer
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(path),
			chromedp.UserDataDir(profile),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-extensions", true),
			chromedp.Flag("disable-default-apps", true),
			chromedp.WindowSize(1600, 1200),
			chromedp.CombinedOutput(&log),
		}
		bound, cancelBound := context.WithTimeout(context.Background(), browserBound)
		alloc, cancelAlloc := chromedp.NewExecAllocator(bound, opts...)
		ctx, cancelCtx := chromedp.NewContext(alloc)
		if err := chromedp.Do(ctx); err != nil {
			browserErr = fmt.Errorf("start chromium: %v\n%s", err, log.String())
		}
		browserCtx = ctx
		stopBrowser = func() {
			cancelCtx()
			cancelAlloc() // kills the browser and waits for it
			cancelBound()
			os.RemoveAll(profile)
		}
	})
	if browserErr != nil {
		t.Fatalf("chromium is needed for the browser tests (scripts/install-test-deps.sh installs it): %v", browserErr)
	}
	return browserCtx
}

func chromiumPath() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no chromium in PATH")
}

// box is a DOM rectangle.
type box struct{ X, Y, W, H float64 }

func (a box) overlaps(b box) bool {
	const eps = 0.5
	return a.X+eps < b.X+b.W && b.X+eps < a.X+a.W && a.Y+eps < b.Y+b.H && b.Y+eps < a.Y+a.H
}

func (a box) contains(b box) bool {
	const eps = 1
	return b.X >= a.X-eps && b.Y >= a.Y-eps && b.X+b.W <= a.X+a.W+eps && b.Y+b.H <= a.Y+a.H+eps
}

// element is what the page says of one node or group of the SVG.
type element struct {
	ID    string   `json:"id"`
	Class string   `json:"class"`
	Shape box      `json:"shape"`
	Text  box      `json:"text"`
	Lines []string `json:"lines"`
}

// measureJS reads every node and group of the diagram: the box of its
// shape (the first path, polygon or ellipse) and of its label text.
const measureJS = `(() => {
  const rect = r => ({X: r.x, Y: r.y, W: r.width, H: r.height});
  const out = [];
  document.querySelectorAll("svg g.pvk-node, svg g.pvk-group").forEach(g => {
    const shape = g.querySelector(":scope > path, :scope > polygon, :scope > ellipse");
    const texts = Array.from(g.querySelectorAll(":scope > text, :scope > g text"));
    let t = null;
    texts.forEach(x => {
      const r = x.getBoundingClientRect();
      if (!t) { t = {l: r.left, t: r.top, r: r.right, b: r.bottom}; return; }
      t.l = Math.min(t.l, r.left); t.t = Math.min(t.t, r.top); t.r = Math.max(t.r, r.right); t.b = Math.max(t.b, r.bottom);
    });
    out.push({id: g.id, class: g.getAttribute("class"),
      shape: shape ? rect(shape.getBoundingClientRect()) : {X: 0, Y: 0, W: 0, H: 0},
      text: t ? {X: t.l, Y: t.t, W: t.r - t.l, H: t.b - t.t} : {X: 0, Y: 0, W: 0, H: 0},
      lines: texts.map(x => x.textContent)});
  });
  return JSON.stringify(out);
})()`

// page is one report as the browser shows it.
type page struct {
	elements map[string]element
	requests []string
	load     time.Duration
	fonts    string
	// intents counts the intents on the page; traceSteps the steps the
	// first one shows once opened; printed the intents that show a trace
	// once the page is told it prints (-1: not tried on a large page).
	intents, traceSteps, printed int
}

// open writes the report of tw to a file, opens it from a file:// URL and
// measures it. screenshot, when not empty, is where a PNG of the diagram
// goes.
func open(t *testing.T, tw *twin.Twin, in report.Input, screenshot string) (*page, *diagram.Model) {
	t.Helper()
	in.Twin = tw
	file := filepath.Join(t.TempDir(), "report.html")
	var b bytes.Buffer
	if err := report.Write(&b, in); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	u := (&url.URL{Scheme: "file", Path: file}).String()

	ctx, cancel := chromedp.NewContext(browser(t))
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 5*time.Minute)
	defer cancelT()
	p := &page{}
	var mu sync.Mutex
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			p.requests = append(p.requests, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	metrics := func(w, h int64) error {
		_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: w, Height: h, DeviceScaleFactor: 1})
		return err
	}
	start := time.Now()
	_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{})
	if err == nil {
		err = metrics(1600, 1200)
	}
	if err == nil {
		err = chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS("#verdict")))
	}
	var fonts, raw string
	var loadMS float64
	if err == nil {
		fonts, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.fonts.ready.then(() => Array.from(document.fonts).filter(f => f.status === "loaded").map(f => f.family).join(","))`, chromedp.EvalAwaitPromise))
	}
	if err == nil {
		loadMS, err = chromedp.Run(ctx, chromedp.Evaluate[float64](`performance.getEntriesByType("navigation")[0].loadEventEnd`))
	}
	if err == nil {
		raw, err = chromedp.Run(ctx, chromedp.Evaluate[string](measureJS))
	}
	if err == nil {
		p.intents, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("details[data-trace]").length`))
	}
	if err == nil && p.intents > 0 {
		p.traceSteps, err = chromedp.Run(ctx, chromedp.Evaluate[int](`window.privaksTraces.then(() => { const d = document.querySelector("details[data-trace]");
		  d.open = true; return new Promise(r => setTimeout(() => r(d.querySelectorAll("ol.trace li").length + d.querySelectorAll("dl dt").length), 50)); })`, chromedp.EvalAwaitPromise))
	}
	p.printed = -1
	if err == nil && p.intents > 0 && p.intents <= 500 {
		p.printed, err = chromedp.Run(ctx, chromedp.Evaluate[int](`(() => { window.dispatchEvent(new Event("beforeprint"));
		  return Array.from(document.querySelectorAll("details[data-trace]")).filter(d => d.open && d.querySelector("ol.trace li")).length; })()`))
	}
	if err != nil {
		t.Fatalf("open %s: %v", u, err)
	}
	p.load = time.Duration(loadMS * float64(time.Millisecond))
	t.Logf("report %d KB loaded in %v (navigation to load event; %v wall)", b.Len()/1024, p.load, time.Since(start).Round(time.Millisecond))
	p.fonts = fonts
	var els []element
	if err := json.Unmarshal([]byte(raw), &els); err != nil {
		t.Fatal(err)
	}
	p.elements = map[string]element{}
	for _, e := range els {
		p.elements[e.ID] = e
	}
	if screenshot != "" {
		size, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { document.body.style.maxWidth = "none";
			  const f = document.querySelector("figure.diagram"); f.style.overflow = "visible";
			  const r = document.querySelector("figure.diagram svg").getBoundingClientRect();
			  return [Math.ceil(r.width) + 100, Math.ceil(r.height) + 400]; })()`))
		var png []byte
		if err == nil {
			err = metrics(int64(size[0]), int64(size[1]))
		}
		if err == nil {
			png, err = chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("figure.diagram")))
		}
		if err == nil {
			err = os.WriteFile(screenshot, png, 0o644)
		}
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	p.requests = append([]string(nil), p.requests...)
	u2 := u
	for _, r := range p.requests {
		if r != u2 && !strings.HasPrefix(r, "data:") {
			t.Errorf("the report fetched %s", r)
		}
	}
	return p, diagram.Build(tw, in.Diagram)
}

// checkLayout asserts what a reader needs of the picture: every node and
// group of the model drawn, each label inside its box, no two nodes
// overlapping, and groups nested as the model nests them (a box meets
// only its ancestors and descendants).
func checkLayout(t *testing.T, p *page, m *diagram.Model) {
	t.Helper()
	problems := layoutProblems(p, m)
	for i, msg := range problems {
		if i == 20 {
			t.Errorf("... %d problems in all", len(problems))
			break
		}
		t.Error(msg)
	}
	if !strings.Contains(p.fonts, diagram.FontFamily) {
		t.Errorf("the inline font did not load (loaded: %q)", p.fonts)
	}
	if p.intents > 0 && p.traceSteps == 0 {
		t.Errorf("opening an intent shows no trace")
	}
	if p.printed >= 0 && p.printed != p.intents {
		t.Errorf("printing shows %d of %d intents' traces", p.printed, p.intents)
	}
}

func layoutProblems(p *page, m *diagram.Model) []string {
	var out []string
	errorf := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	type item struct {
		id, what string
		groups   []string // ancestors, nearest last
		group    bool
	}
	var items []item
	var walk func(g *diagram.Group, anc []string)
	walk = func(g *diagram.Group, anc []string) {
		for _, n := range g.Nodes {
			if g.Kind == diagram.KindLegend {
				continue // drawn as one table
			}
			items = append(items, item{id: n.ID, what: strings.Join(n.Label, " / "), groups: anc})
		}
		for _, c := range g.Groups {
			if c.Kind == diagram.KindLegend {
				items = append(items, item{id: c.ID, what: "legend", groups: anc})
				continue
			}
			items = append(items, item{id: c.ID, what: strings.Join(c.Label, " / "), groups: anc, group: true})
			walk(c, append(append([]string(nil), anc...), c.ID))
		}
	}
	walk(&m.Root, nil)
	if len(items) < 10 {
		errorf("only %d items in the model", len(items))
	}
	for _, it := range items {
		e, ok := p.elements[it.id]
		switch {
		case !ok:
			errorf("%s %q is not in the page", it.id, it.what)
			continue
		case e.Shape.W < 5 || e.Shape.H < 5:
			errorf("%s %q has no visible box: %+v", it.id, it.what, e.Shape)
		case e.Text.W == 0:
			errorf("%s %q has no label", it.id, it.what)
		case !e.Shape.contains(e.Text):
			errorf("%s %q: label %+v clipped by its box %+v", it.id, it.what, e.Text, e.Shape)
		}
		if !it.group && len(it.groups) > 0 {
			parent := p.elements[it.groups[len(it.groups)-1]]
			if !parent.Shape.contains(e.Shape) {
				errorf("%s %q lies outside its group %s", it.id, it.what, it.groups[len(it.groups)-1])
			}
		}
	}
	related := func(a, b item) bool {
		for _, g := range a.groups {
			if g == b.id {
				return true
			}
		}
		for _, g := range b.groups {
			if g == a.id {
				return true
			}
		}
		return false
	}
	overlaps := 0
	for i, a := range items {
		for _, b := range items[i+1:] {
			if related(a, b) {
				continue
			}
			ea, eb := p.elements[a.id], p.elements[b.id]
			if ea.Shape.overlaps(eb.Shape) {
				overlaps++
				if overlaps <= 10 {
					errorf("%s %q overlaps %s %q (%+v, %+v)", a.id, a.what, b.id, b.what, ea.Shape, eb.Shape)
				}
			}
		}
	}
	if overlaps > 10 {
		errorf("... %d overlaps in all", overlaps)
	}
	return out
}
