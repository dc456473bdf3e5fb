"""Figures measured without a browser: reruns over the websocket protocol, the map payload, export times."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import inspect
import json
import random
import statistics
import sys
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import ROOT, org_ids, percentile  # noqa: E402
from stclient import Session  # noqa: E402
from stwidgets import choice_options, date_range, date_value  # noqa: E402

# --- server-side figures over the websocket --------------------------------------------------


def _summary(xs: list[float]) -> dict:
    return {
        "n": len(xs),
        "median_s": round(statistics.median(xs), 4),
        "p95_s": round(percentile(xs, 95), 4),
        "min_s": round(min(xs), 4),
        "max_s": round(max(xs), 4),
    }


def server_figures(server, reruns: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    s = Session(server.ws_url, timeout=60)
    s.connect()
    ext = s.ws.response.headers.get("Sec-WebSocket-Extensions") if s.ws.response else None
    first = s.rerun()
    comp = s.component()
    if comp is None:
        raise RuntimeError("no st_folium component in the first run of the default page")
    args = json.loads(comp.proto.json_args)
    parts = {k: len(v.encode()) for k, v in args.items() if isinstance(v, str)}
    msg = next(
        (
            m
            for m in s.last_deltas
            if m.delta.new_element.WhichOneof("type") == "component_instance"
            and m.delta.new_element.component_instance.component_name == comp.proto.component_name
        ),
        None,
    )
    raw = msg.SerializeToString() if msg is not None else b""
    payload = {
        "component_msg_bytes": first.component_bytes,
        "component_msg_deflated_bytes": len(zlib.compress(raw, 6)) if raw else None,
        "json_args_bytes": len(comp.proto.json_args.encode()),
        "json_args_parts_bytes": dict(sorted(parts.items(), key=lambda kv: -kv[1])),
        "whole_run_bytes": first.bytes,
        "whole_run_messages": first.messages,
        "websocket_extensions": ext,
    }
    s.rerun({comp.id: ("json_value", json.dumps({"last_object_clicked": None}))})  # the map's first report

    alli = s.widget("f_alliances", type="multiselect") or s.widget("f_alliances", type="button_group")
    date_w = s.widget("f_date", type="date_input") or s.widget("f_date", type="text_input")
    opts = choice_options(alli, org_ids())
    sets = [[opts[0]], [opts[0], opts[1]]]  # the default (first) alone, and with the second
    for chosen in sets:  # render each once: from now on both views have been seen
        s.rerun({alli.id: ("string_array_value", chosen)})
    seen_runs = [s.rerun({alli.id: ("string_array_value", sets[i % 2])}) for i in range(reruns)]
    seen = [x.seconds for x in seen_runs]
    lo, hi = date_range(date_w)
    new, new_runs = [], []
    for d in rng.sample(range((hi - lo).days), reruns):  # dates never shown before: new views
        new_runs.append(s.rerun({date_w.id: date_value(date_w, lo + dt.timedelta(days=d))}))
        new.append(new_runs[-1].seconds)
    # what a filter change puts on the wire: every ForwardMsg of the rerun (the map's component
    # message is most of it), as sent (the websocket_extensions field says whether it is compressed)
    wire = [x.bytes for x in seen_runs + new_runs]
    payload["filter_change_wire_bytes"] = {
        "median": int(statistics.median(wire)),
        "max": max(wire),
        "n": len(wire),
        "component_median": int(statistics.median([x.component_bytes for x in seen_runs + new_runs])),
    }
    same = [s.rerun().seconds for _ in range(10)]
    s.close()
    return {
        "payload": payload,
        "rerun_seen_before": _summary(seen),
        "rerun_new_view": _summary(new),
        "rerun_no_change": _summary(same),
        "first_run_s": round(first.seconds, 3),
    }


# --- exports --------------------------------------------------------------------------------


def _time(fn, n: int = 3) -> dict:
    ts, result = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        ts.append(time.perf_counter() - t0)
    return {
        "median_s": round(statistics.median(ts), 3),
        "first_s": round(ts[0], 3),
        "n": n,
        "bytes": len(result) if isinstance(result, (bytes, str)) else None,
    }


def _err(exc: Exception) -> str:
    return f"error: {type(exc).__name__}: {str(exc)[:200]}"


def _close(fig) -> None:
    try:
        import matplotlib.pyplot as plt

        plt.close(fig)
    except Exception:  # noqa: BLE001 - a figure made without pyplot
        pass


def export_figures() -> dict:
    """PNG/PDF via alliance_atlas.renderers.printed (render_map + to_png, briefing_pdf) and
    alliance_atlas.renderers.standalone.standalone_html, where they exist; else 'n/a (not implemented)'."""
    sys.path.insert(0, str(ROOT))
    na = "n/a (not implemented)"
    out: dict = {"png": na, "pdf": na, "standalone_html": na}
    try:
        from alliance_atlas.data import loading, schema

        atlas = loading.load(loading.data_dir())
    except Exception as exc:  # noqa: BLE001
        return dict.fromkeys(out, f"error loading data: {exc}")
    f = schema.Filters()
    render = None
    if importlib.util.find_spec("alliance_atlas.renderers.printed") is not None:
        try:
            render = importlib.import_module("alliance_atlas.renderers.printed")
        except Exception as exc:  # noqa: BLE001 - report, don't fail the bench
            out["png"] = out["pdf"] = _err(exc)
    if render is not None and hasattr(render, "render_map") and hasattr(render, "to_png"):

        def png():
            fig = render.render_map(atlas, f, title="Alliance Atlas")
            try:
                return render.to_png(fig)
            finally:
                _close(fig)

        try:
            out["png"] = _time(png)
        except Exception as exc:  # noqa: BLE001
            out["png"] = _err(exc)
    if render is not None and hasattr(render, "briefing_pdf"):
        try:
            import yaml

            path = sorted((Path(atlas.data_dir) / "briefings").glob("*.y*ml"))[0]
            briefing = yaml.safe_load(path.read_text(encoding="utf-8"))
            out["pdf"] = _time(lambda: render.briefing_pdf(atlas, briefing), n=2)
            out["pdf"]["briefing"] = f"{path.name}, {len(briefing.get('slides') or [])} slide(s)"
        except Exception as exc:  # noqa: BLE001
            out["pdf"] = _err(exc)
    try:
        movie = importlib.import_module("alliance_atlas.renderers.movie")
        days = movie.frames(atlas, "year")
        out["movie_gif"] = _time(lambda: movie.gif(atlas, f, days), n=1)
        out["movie_gif"]["frames"] = len(days)
    except Exception as exc:  # noqa: BLE001
        out["movie_gif"] = _err(exc)
    try:
        exports = importlib.import_module("alliance_atlas.renderers.standalone")
        if hasattr(exports, "standalone_html"):
            fn = exports.standalone_html
            required = sum(
                1
                for p in inspect.signature(fn).parameters.values()
                if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            )
            args = [atlas, f][:required]
            out["standalone_html"] = _time(lambda: fn(*args))
    except Exception as exc:  # noqa: BLE001
        out["standalone_html"] = _err(exc)
    return out
