"""Draws docs/dashboard.png: the panels of the Grafana dashboard, computed from real scrapes of a running router.

Called by render-dashboard.sh with RUN_DIR (a copy of the jar, lib/, application.properties, jvm.options and
routes/), the dashboard JSON and the PNG to write. It starts the router on free loopback ports with a fake Slack
webhook, sends it a scripted mix of signed callbacks, refusals and alarms for DURATION seconds (default 90),
scrapes /observe/metrics every second, checks every PromQL expression of the dashboard against those scrapes,
evaluates the expressions with a small PromQL subset, and draws the panels where the dashboard puts them.
"""
import bisect, collections, datetime, hashlib, http.server, json, math, os, random, re, socket, subprocess
import sys, threading, time, urllib.error, urllib.request
from concurrent.futures import ThreadPoolExecutor

import matplotlib
matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch
from matplotlib.ticker import FuncFormatter, LogLocator
from PIL import Image

DURATION = int(os.environ.get("DURATION", "90"))      # seconds of traffic
RATE_WINDOW = int(os.environ.get("RATE_WINDOW", "10"))  # stands for Grafana's $__rate_interval
TOKEN, SDKAPPID = "render-demo-token", "1400000000"


# ---------------------------------------------------------------- fake Slack: 200 ok, every 4th post 429, one 404
class FakeSlack(http.server.BaseHTTPRequestHandler):
    posts = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        FakeSlack.posts += 1
        time.sleep(0.15)  # Slack is not instant
        if b"send_group_msg" in body:
            self.answer(404, "no_service")  # a deleted webhook for this one: a dead letter
        elif FakeSlack.posts % 4 == 0:
            self.answer(429, "rate_limited", {"Retry-After": "1"})
        else:
            self.answer(200, "ok")

    def answer(self, status, text, headers=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text.encode())

    def log_message(self, *args):
        pass


# ---------------------------------------------------------------- traffic: what a busy Chat app sends
COMMANDS = [("State.StateChange", 30), ("C2C.CallbackAfterSendMsg", 24), ("Group.CallbackAfterSendMsg", 18),
            ("C2C.CallbackBeforeSendMsg", 10), ("Group.CallbackAfterNewMemberJoin", 6),
            ("Profile.CallbackPortraitSet", 4), ("Sns.CallbackFriendAdd", 3), ("Group.CallbackSendMsgException", 2),
            ("Vendor.NotInTheCatalog", 1)]


def bump(f, start, end, ramp=0.06):
    """0 outside [start, end], 1 inside, with linear ramps: the shape of a surge over the run (f in 0..1)."""
    return max(0.0, min(1.0, (f - start) / ramp, (end - f) / ramp))


def streams(f):
    """Requests per second of each kind at fraction f of the run."""
    return {"accepted": 15 + 35 * bump(f, 0.30, 0.62), "over_limit": 0.8 * bump(f, 0.36, 0.60),
            "bad_signature": 5 * bump(f, 0.64, 0.80, 0.01), "unknown_sdkappid": 0.7, "stale": 0.2,
            "malformed": 0.1, "get": 0.2}


OVER_LIMIT_APIS = ["openim/batchsendmsg", "openim/batchsendmsg", "openim/sendmsg", "group_open_http_svc/create_group"]


def request_for(base, kind, rnd, f):
    """One request of this kind, signed as Chat signs it: Sign = sha256 hex of token + RequestTime."""
    now = int(time.time())
    command = rnd.choices([c for c, _ in COMMANDS], [w for _, w in COMMANDS])[0]
    body = {"CallbackCommand": command, "EventTime": now * 1000}
    if kind in ("over_limit", "storm", "dead_letter"):  # usage rises and falls with the surge
        api = "group_open_http_svc/send_group_msg" if kind == "dead_letter" else rnd.choice(OVER_LIMIT_APIS)
        usage = 0.8 + 1.7 * bump(f, 0.36, 0.60, 0.1) * rnd.uniform(0.7, 1.2) if kind != "dead_letter" else 1.3
        command, (service, api_command) = "Alert.RequestOverLimit", api.split("/")
        body = {"CallbackCommand": command, "ServiceName": service, "Command": api_command,
                "Request": int(200 * usage), "Limit": 200}
    elif kind == "quota":
        command = "Group.CallbackOnDailyGroupQuotaAlarm"
        body = {"CallbackCommand": command, "QuotaUsed": 9100, "Quota": 10000, "EventTime": str(now * 1000)}
    token = "an-old-token" if kind == "bad_signature" else TOKEN
    sdkappid = "1400000999" if kind == "unknown_sdkappid" else SDKAPPID
    request_time = now - 300 if kind == "stale" else now
    text = json.dumps(body)[:-5] if kind == "malformed" else json.dumps(body)
    sign = hashlib.sha256(f"{token}{request_time}".encode()).hexdigest()
    url = (f"{base}?SdkAppid={sdkappid}&CallbackCommand={command}&contenttype=json&OptPlatform=RESTAPI"
           f"&Sign={sign}&RequestTime={request_time}")
    if kind == "get":  # a load balancer's health probe on the callback URL
        return urllib.request.Request(url, method="GET")
    return urllib.request.Request(url, data=text.encode(), method="POST")


def send(request):
    try:
        urllib.request.urlopen(request, timeout=5).read()
    except urllib.error.HTTPError:
        pass  # a refusal is an answer too


def drive(base, stop):
    """Sends the mix for DURATION seconds, paced in 50 ms ticks; a storm of alarms half way; then returns."""
    rnd, owed, started, sent = random.Random(7), collections.Counter(), time.time(), collections.Counter()
    once = {0.50: ["storm"] * 6, 0.70: ["quota"], 0.74: ["quota"], 0.76: ["dead_letter"], 0.84: ["dead_letter"]}
    with ThreadPoolExecutor(max_workers=8) as pool:
        while not stop.is_set() and (f := (time.time() - started) / DURATION) < 1:
            for kind, rate in streams(f).items():
                owed[kind] += rate * 0.05 * rnd.uniform(0.6, 1.4)
                while owed[kind] >= 1:
                    owed[kind] -= 1
                    sent[kind] += 1
                    pool.submit(send, request_for(base, kind, rnd, f))
            for at in [at for at in once if f >= at]:
                for kind in once.pop(at):
                    sent[kind] += 1
                    pool.submit(send, request_for(base, kind, rnd, f))
            time.sleep(0.05)
    return sent


# ---------------------------------------------------------------- scrapes, as Prometheus would store them
LINE = re.compile(r"^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)")
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def parse_scrape(text, target):
    """{metric: [(labels, value)]}, with the job/instance labels and the `up` series Prometheus adds."""
    samples = collections.defaultdict(list)
    samples["up"].append((dict(target), 1.0 if text is not None else 0.0))
    for line in (text or "").splitlines():
        if (m := LINE.match(line)) and not line.startswith("#"):
            samples[m.group(1)].append(({**dict(LABEL.findall(m.group(2) or "")), **target}, float(m.group(3))))
    return samples


def scrape_loop(url, target, scrapes, stop):
    next_at = time.time()
    while not stop.is_set():
        try:
            text = urllib.request.urlopen(url, timeout=2).read().decode()
        except OSError:
            text = None
        scrapes.append((time.time(), parse_scrape(text, target)))
        next_at += 1.0
        stop.wait(max(0.0, next_at - time.time()))


# ---------------------------------------------------------------- the PromQL subset the dashboard uses
TOKENS = re.compile(r'\s*(?:(?P<dur>\[\d+[smh]\])|(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_:][\w:]*)'
                    r'|(?P<str>"[^"]*")|(?P<op>=~|!=|!~|[*/(){},=]))')
AGGREGATIONS = {"sum": sum, "min": min, "max": max, "topk": None}


def parse(expr):
    """AST of expr: ('num', v) | ('sel', metric, matchers, range_s) | ('agg', op, by, param, e) |
    ('call', name, args) | ('bin', op, a, b). Raises ValueError on anything outside the subset."""
    tokens, pos = [], 0
    while pos < len(expr.rstrip()):
        m = TOKENS.match(expr, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot read {expr[pos:]!r}")
        tokens.append((m.lastgroup, m.group(m.lastgroup)))
        pos = m.end()
    tokens.append(("end", ""))
    at = [0]

    def take(text=None):
        kind, value = tokens[at[0]]
        if text is not None and value != text:
            raise ValueError(f"expected {text!r}, got {value!r} in {expr}")
        at[0] += 1
        return value

    def peek():
        return tokens[at[0]][1]

    def listed(item):
        """'(' item {',' item} ')'"""
        take("(")
        out = [item()]
        while peek() == ",":
            take(",")
            out.append(item())
        take(")")
        return out

    def atom():
        kind, value = tokens[at[0]]
        if kind == "num":
            return ("num", float(take()))
        if value == "(":
            return listed(binary)[0]
        name = take()
        if name in AGGREGATIONS:
            by = None
            if peek() == "by":
                take("by")
                by = listed(take)
            take("(")
            param = None
            if name == "topk":
                param = ("num", float(take()))
                take(",")
            e = binary()
            take(")")
            return ("agg", name, by, param, e)
        if name in ("rate", "histogram_quantile"):
            return ("call", name, listed(binary))
        matchers = []
        if peek() == "{":
            take("{")
            while peek() != "}":
                label, op, value = take(), take(), take()[1:-1]
                matchers.append((label, op, value))
                if peek() == ",":
                    take(",")
            take("}")
        rng = None
        if tokens[at[0]][0] == "dur":
            d = take()[1:-1]
            rng = int(d[:-1]) * {"s": 1, "m": 60, "h": 3600}[d[-1]]
        return ("sel", name, matchers, rng)

    def binary():
        e = atom()
        while peek() in ("*", "/"):
            e = ("bin", take(), e, atom())
        return e

    tree = binary()
    take("")
    return tree


def substitute(expr):
    return (expr.replace("$__rate_interval", f"{RATE_WINDOW}s").replace("$topn", "5")
            .replace("$job", ".*").replace("$instance", ".*"))


def matches(labels, matchers):
    for label, op, value in matchers:
        have = labels.get(label, "")
        ok = {"=": have == value, "!=": have != value,
              "=~": re.fullmatch(value, have) is not None, "!~": re.fullmatch(value, have) is None}[op]
        if not ok:
            return False
    return True


def key(labels):
    return tuple(sorted(labels.items()))


class Evaluator:
    def __init__(self, scrapes):
        self.scrapes, self.times = scrapes, [t for t, _ in scrapes]

    def select(self, node, t0, t1):
        """{series key: [(t, v)]} of the samples of a selector in (t0, t1]."""
        _, metric, matchers, _ = node
        out = collections.defaultdict(list)
        for i in range(bisect.bisect_right(self.times, t0), bisect.bisect_right(self.times, t1)):
            t, samples = self.scrapes[i]
            for labels, v in samples.get(metric, []):
                if matches(labels, matchers):
                    out[key(labels)].append((t, v))
        return out

    def eval(self, node, t):
        """A number, or an instant vector {series key: value}, at time t."""
        kind = node[0]
        if kind == "num":
            return node[1]
        if kind == "sel":
            return {k: pts[-1][1] for k, pts in self.select(node, t - 300, t).items()}
        if kind == "call" and node[1] == "rate":
            out = {}
            window = node[2][0][3]
            for k, pts in self.select(node[2][0], t - window, t).items():
                if len(pts) >= 2:
                    out[k] = self.extrapolated_rate(pts, t - window, t)
            return out
        if kind == "call" and node[1] == "histogram_quantile":
            return self.quantile(self.eval(node[2][0], t), self.eval(node[2][1], t))
        if kind == "agg":
            _, op, by, param, e = node
            vector, groups = self.eval(e, t), collections.defaultdict(dict)
            for k, v in vector.items():
                groups[tuple((l, x) for l, x in k if by and l in by)][k] = v
            if op == "topk":
                return {k: v for g in groups.values()
                        for k, v in sorted(g.items(), key=lambda kv: -kv[1])[:int(param[1])]}
            return {g: AGGREGATIONS[op](members.values()) for g, members in groups.items()}
        if kind == "bin":
            a, b = self.eval(node[2], t), self.eval(node[3], t)
            apply = (lambda x, y: x * y) if node[1] == "*" else (lambda x, y: x / y if y else math.nan)
            if isinstance(a, dict) and isinstance(b, dict):
                return {k: apply(v, b[k]) for k, v in a.items() if k in b}
            if isinstance(a, dict):
                return {k: apply(v, b) for k, v in a.items()}
            return {k: apply(a, v) for k, v in b.items()}
        raise ValueError(f"not in the subset: {node}")

    @staticmethod
    def extrapolated_rate(pts, start, end):
        """Prometheus' rate(): the increase (counter resets allowed), extrapolated towards the window's edges."""
        increase = sum(b - a if b >= a else b for (_, a), (_, b) in zip(pts, pts[1:]))
        sampled = pts[-1][0] - pts[0][0]
        average = sampled / (len(pts) - 1)
        to_start, to_end = pts[0][0] - start, end - pts[-1][0]
        if increase > 0 and pts[0][1] >= 0:
            to_start = min(to_start, sampled * pts[0][1] / increase)  # a counter does not go below zero
        interval = sampled + sum(d if d < average * 1.1 else average / 2 for d in (to_start, to_end))
        return increase * interval / sampled / (end - start)

    @staticmethod
    def quantile(q, buckets):
        """Prometheus' histogram_quantile: linear interpolation inside the bucket the rank falls in."""
        groups = collections.defaultdict(list)
        for k, v in buckets.items():
            labels = dict(k)
            groups[key({l: x for l, x in labels.items() if l != "le"})].append((float(labels["le"]), v))
        out = {}
        for g, bs in groups.items():
            bs.sort()
            total = bs[-1][1]
            if total <= 0:
                continue
            rank, lower, below = q * total, 0.0, 0.0
            for le, count in bs:
                if count >= rank:
                    out[g] = bs[-2][0] if math.isinf(le) else lower + (le - lower) * (rank - below) / (count - below)
                    break
                lower, below = le, count
        return out

    def series(self, expr, legend):
        """Grafana's view of a query: {legend: [value or nan at each scrape time]}."""
        tree, result = parse(substitute(expr)), collections.defaultdict(lambda: [math.nan] * len(self.times))
        for i, t in enumerate(self.times):
            value = self.eval(tree, t)
            for k, v in (value if isinstance(value, dict) else {(): value}).items():
                name = re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: dict(k).get(m.group(1), ""), legend)
                result[name if legend != "__auto" else ""][i] = v
        return dict(result)


# ---------------------------------------------------------------- the dashboard's PromQL against real scrapes
def check(dashboard, scrapes):
    """Every expression parses, names only metrics seen in a scrape, and each selector matches a series."""
    seen = collections.defaultdict(list)
    for _, samples in scrapes:
        for metric, rows in samples.items():
            seen[metric].extend(labels for labels, _ in rows[:50])
    exprs = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    selectors = [re.match(r"label_values\((.*),\s*\w+\)$", v["query"]).group(1)
                 for v in dashboard["templating"]["list"] if v["type"] == "query"]
    problems, names = [], set()

    def selectors_of(node):
        if node[0] == "sel":
            return [node]
        children = node[2] if node[0] == "call" else [c for c in node[1:] if isinstance(c, tuple)]
        return [sel for child in children for sel in selectors_of(child)]

    for expr in exprs + selectors:
        for _, metric, matchers, _ in selectors_of(parse(substitute(expr))):
            names.add(metric)
            if metric not in seen:
                problems.append(f"{metric}: in no scrape ({expr})")
            elif not any(matches(labels, matchers) for labels in seen[metric]):
                problems.append(f"{metric}{matchers}: matches no series ({expr})")
    if problems:
        sys.exit("dashboard check failed:\n  " + "\n  ".join(problems))
    print(f"dashboard check: {len(exprs)} panel queries, {len(selectors)} variable queries, "
          f"metrics {', '.join(sorted(names))}: all found in the scrapes")


# ---------------------------------------------------------------- drawing, in Grafana's dark theme
BG, PANEL, BORDER, TEXT, DIM = "#111217", "#181b1f", "#2c3235", "#ccccdc", "#8e8e9e"
NAMED = {"green": "#73BF69", "yellow": "#FADE2A", "orange": "#FF9830", "red": "#F2495C", "blue": "#5794F2",
         "purple": "#B877D9"}
CLASSIC = ["#7EB26D", "#EAB839", "#6ED0E0", "#EF843C", "#E24D42", "#1F78C1", "#BA43A9", "#705DA0", "#508642"]


def fmt(v, unit, decimals=None):
    if v is None or math.isnan(v):
        return "No data"
    d = 1 if decimals is None else decimals
    if unit == "percentunit":
        return f"{v * 100:.{d}f}%"
    if unit == "reqps":
        return f"{v:.{d}f} req/s"
    if unit == "bytes":
        return f"{v / 2**20:.0f} MiB"
    if unit == "s":
        return f"{v * 1e6:.0f} µs" if v < 1e-3 else f"{v * 1e3:.{0 if v >= 0.01 else 1}f} ms" if v < 1 else f"{v:.1f} s"
    return f"{v:.{decimals}f}" if decimals is not None else f"{v:g}"


def threshold_color(v, defaults):
    color = "green"
    for step in defaults["thresholds"]["steps"]:
        if step["value"] is None or (not math.isnan(v) and v >= step["value"]):
            color = step["color"]
    return NAMED.get(color, color)


class Canvas:
    """The figure, laid out in pixels like Grafana's grid: 24 columns, rows of ROW_PX."""
    WIDTH, ROW_PX, HEADER, GAP = 1600, 32, 44, 4

    def __init__(self, rows):
        self.height = self.HEADER + rows * self.ROW_PX + self.GAP
        self.fig = plt.figure(figsize=(self.WIDTH / 100, self.height / 100), dpi=100, facecolor=BG)

    def box(self, left, top, width, height):
        """Figure coordinates [x, y, w, h] of a box given in pixels from the top left."""
        return [left / self.WIDTH, 1 - (top + height) / self.height, width / self.WIDTH, height / self.height]

    def text(self, left, top, text, **kw):
        self.fig.text(left / self.WIDTH, 1 - top / self.height, text, **kw)

    def panel(self, grid, title):
        """Draws the panel frame and title; returns the panel's inner box in pixels (left, top, width, height)."""
        col = (self.WIDTH - self.GAP) / 24
        left, top = self.GAP + grid["x"] * col, self.HEADER + grid["y"] * self.ROW_PX
        width, height = grid["w"] * col - self.GAP, grid["h"] * self.ROW_PX - self.GAP
        self.fig.add_artist(FancyBboxPatch(self.box(left, top, width, height)[:2], width / self.WIDTH,
                                           height / self.height, boxstyle="round,pad=0,rounding_size=0.002",
                                           transform=self.fig.transFigure, facecolor=PANEL, edgecolor=BORDER, lw=0.8,
                                           zorder=-1))
        self.text(left + 8, top + 15, title, color=TEXT, fontsize=9, weight="bold", va="center")
        return left, top + 26, width, height - 26


def draw_stat(canvas, inner, panel, values, times):
    defaults = panel["fieldConfig"]["defaults"]
    v = next((x for x in reversed(values) if not math.isnan(x)), math.nan)
    text = fmt(v, defaults["unit"], defaults.get("decimals"))
    for mapping in defaults.get("mappings", []):
        text = mapping["options"].get(f"{v:g}", {}).get("text", text)
    color = threshold_color(v, defaults)
    left, top, width, height = inner
    if panel["options"]["graphMode"] == "area":
        ax = canvas.fig.add_axes(canvas.box(left + 1, top + height * 0.45, width - 2, height * 0.55 - 1))
        ax.fill_between(times, [0 if math.isnan(x) else x for x in values], color=color, alpha=0.18, lw=0)
        ax.plot(times, values, color=color, lw=1, alpha=0.7)
        ax.set_axis_off()
        ax.set_xlim(times[0], times[-1])
        ax.set_ylim(bottom=0)
    canvas.text(left + width / 2, top + height * 0.42, text, color=color, fontsize=26 if len(text) < 8 else 21,
                ha="center", va="center", weight="bold")


def draw_timeseries(canvas, inner, panel, series, times):
    defaults = panel["fieldConfig"]["defaults"]
    custom = defaults["custom"]
    colors, dashed = {}, []
    for override in panel["fieldConfig"]["overrides"]:
        for prop in override["properties"]:
            if prop["id"] == "color":
                colors[override["matcher"]["options"]] = NAMED[prop["value"]["fixedColor"]]
            if prop["id"] == "custom.lineStyle":
                dashed.append(override["matcher"]["options"])
    left, top, width, height = inner
    columns = max(1, int(width // (40 + 5.2 * max([len(n) for n in series] + [1]))))
    legend_px = 16 * math.ceil(len(series) / columns) + 4
    ax = canvas.fig.add_axes(canvas.box(left + 58, top, width - 68, height - 22 - legend_px))
    ax.set_facecolor(PANEL)
    palette, handles, bottom = iter(CLASSIC), [], [0.0] * len(times)
    stacked = custom["stacking"]["mode"] == "normal"
    for name in sorted(series, key=lambda n: -max([0] + [v for v in series[n] if not math.isnan(v)])):
        color, values = colors.get(name) or next(palette), series[name]
        zeroed = [0 if math.isnan(v) else v for v in values]
        if custom["drawStyle"] == "bars":
            handles.append(ax.bar(times, zeroed, width=0.8 / 86400, bottom=bottom, color=color, lw=0, label=name))
            bottom = [b + v for b, v in zip(bottom, zeroed)]
        elif stacked:
            upper = [b + v for b, v in zip(bottom, zeroed)]
            ax.fill_between(times, bottom, upper, color=color, alpha=custom["fillOpacity"] / 100, lw=0)
            handles.append(ax.plot(times, upper, color=color, lw=1.2, label=name)[0])
            bottom = upper
        else:
            style = "--" if any(re.search(r, name) for r in dashed) else "-"
            if style == "-" and custom["scaleDistribution"]["type"] != "log":
                ax.fill_between(times, zeroed, color=color, alpha=custom["fillOpacity"] / 100, lw=0)
            handles.append(ax.plot(times, values, color=color, lw=1.3, ls=style, label=name)[0])
    if custom["scaleDistribution"]["type"] == "log":
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.5, 5.0)))
    elif "min" in defaults:
        ax.set_ylim(bottom=defaults["min"])
    ax.set_xlim(times[0], times[-1])
    ax.yaxis.set_major_formatter(FuncFormatter(
        lambda v, _: re.sub(r"\.0(?=\D|$)", "", fmt(v, defaults["unit"], 0 if v >= 10 else None))))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M:%S"))
    ax.xaxis.set_major_locator(mdates.SecondLocator(bysecond=range(0, 60, 20 if width > 500 else 30)))
    ax.tick_params(which="both", colors=DIM, labelsize=7, length=0)
    ax.grid(True, color=BORDER, lw=0.6)
    for spine in ax.spines.values():
        spine.set_visible(False)
    anchor = canvas.box(left + 6, top + height - legend_px, 0, 0)[:2]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=anchor, bbox_transform=canvas.fig.transFigure,
              ncol=columns, frameon=False, fontsize=7.5, labelcolor=TEXT, handlelength=1.2, columnspacing=1.5,
              borderaxespad=0, borderpad=0)


def render(dashboard, scrapes, out):
    ev = Evaluator(scrapes)
    times = [datetime.datetime.fromtimestamp(t) for t in ev.times]
    canvas = Canvas(max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in dashboard["panels"]))
    canvas.text(12, 22, dashboard["title"], color=TEXT, fontsize=14, weight="bold", va="center")
    canvas.text(250, 22, "Data source: Prometheus     Job: All     Instance: All     Top N commands: 5",
                color=DIM, fontsize=9, va="center")
    canvas.text(canvas.WIDTH - 12, 22, f"{len(times)} real scrapes of /observe/metrics, 1 s apart  ·  "
                f"$__rate_interval = {RATE_WINDOW}s  ·  {times[0]:%Y-%m-%d %H:%M}", color=DIM, fontsize=8.5,
                va="center", ha="right")
    for panel in dashboard["panels"]:
        inner = canvas.panel(panel["gridPos"], panel["title"].replace("$topn", "5"))
        series = {}
        for target in panel["targets"]:
            series.update(ev.series(target["expr"], target["legendFormat"]))
        if panel["type"] == "stat":
            draw_stat(canvas, inner, panel, next(iter(series.values()), [math.nan] * len(times)), times)
        else:
            draw_timeseries(canvas, inner, panel, series, times)
    canvas.fig.savefig(out, facecolor=BG, dpi=100)
    # 256 colours look the same and make the PNG a third of the size (Pillow comes with matplotlib)
    image = Image.open(out).convert("RGB")
    image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out, optimize=True)


# ---------------------------------------------------------------- run it all
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(run_dir, dashboard_path, out):
    dashboard = json.load(open(dashboard_path))
    ports = {name: free_port() for name in ("callbacks", "management", "slack")}
    slack = http.server.ThreadingHTTPServer(("127.0.0.1", ports["slack"]), FakeSlack)
    threading.Thread(target=slack.serve_forever, daemon=True).start()
    env = {**os.environ, "CAMEL_SERVER_HOST": "127.0.0.1", "CAMEL_SERVER_PORT": str(ports["callbacks"]),
           "CAMEL_MANAGEMENT_HOST": "127.0.0.1", "CAMEL_MANAGEMENT_PORT": str(ports["management"]),
           "TENCENT_SDKAPPID": SDKAPPID, "TENCENT_CALLBACK_TOKEN": TOKEN, "ROUTER_DATA_DIR": f"{run_dir}/data",
           "SLACK_WEBHOOK_URL": f"http://127.0.0.1:{ports['slack']}/services/T000/B000/render",
           "SLACK_MIN_INTERVAL_MS": "100", "ALERTS_GROUP_WINDOW": "0"}
    log = open(f"{run_dir}/router.log", "w")
    router = subprocess.Popen(["java", "@jvm.options", "-jar", "chat-callback-router.jar"], cwd=run_dir, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    management = f"http://127.0.0.1:{ports['management']}"
    stop, scrapes = threading.Event(), []
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{management}/observe/health", timeout=1).status == 200:
                    break
            except OSError:
                if router.poll() is not None:
                    sys.exit(f"router exited:\n{open(f'{run_dir}/router.log').read()[-3000:]}")
                time.sleep(0.5)
        else:
            sys.exit("router not healthy within 60 s; see router.log")
        print(f"router up; {DURATION} s of traffic, scraping {management}/observe/metrics every second")
        target = {"job": "chat-callback-router", "instance": f"127.0.0.1:{ports['management']}"}
        scraper = threading.Thread(target=scrape_loop, args=(f"{management}/observe/metrics", target, scrapes, stop))
        scraper.start()
        time.sleep(3)
        sent = drive(f"http://127.0.0.1:{ports['callbacks']}/tencent/callback", stop)
        print("sent:", ", ".join(f"{n} {kind}" for kind, n in sent.most_common()))
    finally:
        stop.set()
        router.terminate()
        try:
            router.wait(40)
        except subprocess.TimeoutExpired:
            router.kill()
        slack.shutdown()
    scraper.join()
    check(dashboard, scrapes)
    render(dashboard, scrapes, out)
    print(f"wrote {out} ({os.path.getsize(out) // 1024} KB); Slack got {FakeSlack.posts} posts")


if __name__ == "__main__":
    main(*sys.argv[1:4])
