"""A minimal Streamlit browser client: the websocket protocol the frontend speaks.

Connects to ws://127.0.0.1:PORT/_stcore/stream, sends BackMsg.rerun_script with the query
string, page and widget states, reads ForwardMsgs until script_finished. Widget ids and their
current values are learned from the element protos of each run, and the full set of widget
states is sent back with every rerun, as the browser does.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field

from google.protobuf.json_format import MessageToDict
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from stwidgets import WIDGET_TYPES, Widget, initial_value  # noqa: E402
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

FINISHED_EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
FINISHED_WITH_COMPILE_ERROR = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_WITH_COMPILE_ERROR")


class RunError(Exception):
    """A rerun that did not finish cleanly: timeout, disconnect or protocol problem."""


@dataclass
class RunResult:
    seconds: float
    bytes: int
    messages: int
    errors: list[str] = field(default_factory=list)
    largest: int = 0  # bytes of the largest ForwardMsg
    component_bytes: int = 0  # bytes of the component_instance ForwardMsgs (the map, plus the small link probe)


class Session:
    """One simulated browser tab."""

    def __init__(self, ws_url: str, query_string: str = "", page_name: str = "", timeout: float = 30.0):
        self.ws_url = ws_url
        self.query_string = query_string
        self.page_name = page_name
        self.page_hash = ""
        self.timeout = timeout
        self.ws = None
        self.widgets: dict[str, Widget] = {}  # of the last run, by id
        self.values: dict[str, tuple[str, object]] = {}  # widget id -> (value field, value)
        self.pages: list[dict] = []  # st.navigation pages of the last run
        self.session_id = ""
        self.last_deltas: list[ForwardMsg] = []

    # -- connection ------------------------------------------------------------------------
    def connect(self) -> None:
        try:
            self.ws = connect(
                self.ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=self.timeout, close_timeout=2
            )
        except (OSError, TimeoutError) as exc:
            raise RunError(f"connect failed: {exc}") from exc

    def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):  # closing a broken socket
                self.ws.close()
            self.ws = None

    # -- the protocol ----------------------------------------------------------------------
    def _widget_states(self, overrides: dict[str, tuple[str, object]], triggers: tuple[str, ...] = ()):
        states = []
        values = dict(self.values) | overrides
        for wid, (kind, value) in values.items():
            ws = WidgetState(id=wid)
            if kind == "double_array_value":
                ws.double_array_value.data.extend(value)
            elif kind == "string_array_value":
                ws.string_array_value.data.extend(value)
            else:
                setattr(ws, kind, value)
            states.append(ws)
        for wid in triggers:
            states.append(WidgetState(id=wid, trigger_value=True))
        return states, values

    def rerun(
        self,
        overrides: dict[str, tuple[str, object]] | None = None,
        triggers: tuple[str, ...] = (),
        page_hash: str | None = None,
    ) -> RunResult:
        """Send one rerun and read until the run has finished. Returns its timing and errors."""
        if self.ws is None:
            self.connect()
        self._drain()
        states, values = self._widget_states(overrides or {}, triggers)
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query_string
        cs.page_script_hash = self.page_hash if page_hash is None else page_hash
        cs.page_name = self.page_name if not cs.page_script_hash else ""
        cs.widget_states.widgets.extend(states)
        cs.context_info.timezone = "UTC"
        cs.context_info.locale = "en-GB"
        cs.context_info.url = "http://127.0.0.1/"
        self.values = values  # the browser keeps what it sent
        t0 = time.perf_counter()
        try:
            self.ws.send(msg.SerializeToString())
        except ConnectionClosed as exc:
            raise RunError(f"disconnected on send: {exc}") from exc
        return self._read_run(t0)

    def _drain(self) -> None:
        while True:
            try:
                raw = self.ws.recv(timeout=0)
            except TimeoutError:
                return
            except ConnectionClosed as exc:
                raise RunError(f"disconnected: {exc}") from exc
            self._handle(raw, None)

    def _read_run(self, t0: float) -> RunResult:
        res = RunResult(0.0, 0, 0)
        widgets: dict[str, Widget] = {}
        self.last_deltas = []
        deadline = t0 + self.timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise RunError(f"timeout: no script_finished within {self.timeout:.0f} s")
            try:
                raw = self.ws.recv(timeout=left)
            except TimeoutError as exc:
                raise RunError(f"timeout: no script_finished within {self.timeout:.0f} s") from exc
            except ConnectionClosed as exc:
                raise RunError(f"disconnected: {exc}") from exc
            res.bytes += len(raw)
            res.messages += 1
            res.largest = max(res.largest, len(raw))
            fm = self._handle(raw, res, widgets)
            if fm.WhichOneof("type") == "script_finished":
                if fm.script_finished == FINISHED_EARLY_FOR_RERUN:
                    widgets = {}  # st.rerun / switch_page: the next run follows
                    continue
                res.seconds = time.perf_counter() - t0
                if fm.script_finished == FINISHED_WITH_COMPILE_ERROR:
                    res.errors.append("script finished with a compile error")
                self._learn(widgets)
                return res

    def _handle(self, raw: bytes, res: RunResult | None, widgets: dict | None = None) -> ForwardMsg:
        fm = ForwardMsg()
        fm.ParseFromString(raw)
        kind = fm.WhichOneof("type")
        if kind == "new_session":
            self.session_id = fm.new_session.initialize.session_id or self.session_id
        elif kind == "navigation":
            self.pages = [MessageToDict(p) for p in fm.navigation.app_pages]
            if fm.navigation.page_script_hash:
                self.page_hash = fm.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = fm.page_info_changed.query_string
        elif kind == "page_not_found" and res is not None:
            res.errors.append(f"page not found: {fm.page_not_found.page_name}")
        elif kind == "session_event" and res is not None:
            if fm.session_event.WhichOneof("type") == "script_compilation_exception":
                res.errors.append(f"compile error: {fm.session_event.script_compilation_exception.message[:200]}")
        elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
            el = fm.delta.new_element
            et = el.WhichOneof("type")
            if res is not None:
                self.last_deltas.append(fm)
                if et == "exception":
                    res.errors.append(f"exception: {el.exception.type}: {el.exception.message[:200]}")
                elif et == "alert" and el.alert.format == el.alert.ERROR:
                    res.errors.append(f"st.error: {el.alert.body[:200]}")
                if et == "component_instance":
                    res.component_bytes += len(raw)
            if widgets is not None and et in WIDGET_TYPES:
                sub = getattr(el, et)
                if getattr(sub, "id", ""):
                    widgets[sub.id] = Widget(sub.id, et, sub)
        return fm

    def _learn(self, widgets: dict[str, Widget]) -> None:
        """Widget values after a run, as the browser's widget manager holds them: a value the
        server set wins, else the one the browser already had, else the widget's default.
        Widgets not drawn in this run are dropped (as the frontend does)."""
        values: dict[str, tuple[str, object]] = {}
        for wid, w in widgets.items():
            keep = self.values.get(wid)
            if keep is not None and not getattr(w.proto, "set_value", False):
                values[wid] = keep
                continue
            v = initial_value(w)
            if v is not None:
                values[wid] = v
            elif keep is not None:
                values[wid] = keep
        self.widgets = widgets
        self.values = values

    # -- helpers for drivers ---------------------------------------------------------------
    def widget(self, key: str | None = None, *, type: str | None = None, label: str | None = None) -> Widget | None:
        for w in self.widgets.values():
            if key is not None and w.key != key:
                continue
            if type is not None and w.type != type:
                continue
            if label is not None and label not in w.label:
                continue
            return w
        return None

    def component(self, name: str = "streamlit_folium.st_folium") -> Widget | None:
        return next(
            (w for w in self.widgets.values() if w.type == "component_instance" and w.proto.component_name == name),
            None,
        )

    def component_args(self, name: str = "streamlit_folium.st_folium") -> dict:
        w = self.component(name)
        return json.loads(w.proto.json_args) if w is not None else {}
