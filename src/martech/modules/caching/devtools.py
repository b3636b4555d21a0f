"""What DevTools' Network panel shows, read from Chromium over the DevTools protocol.

The notebook opens the browser (martech.browser) and hands its tab to NetworkPanel.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    name: str
    status: int | None = None
    size: str = ""

    def __str__(self) -> str:
        return f"{self.name:24} {self.status or '':>4}  {self.size}"


class NetworkPanel:
    """The Network panel of one Playwright tab: Name, Status and Size, as DevTools shows them.

        panel = await NetworkPanel.open(tab)
        await tab.goto(url)
        for row in panel.take(): print(row)
    """

    def __init__(self, session):
        self.session, self.rows = session, {}

    @classmethod
    async def open(cls, tab) -> "NetworkPanel":
        panel = cls(await tab.context.new_cdp_session(tab))
        panel.session.on("Network.requestWillBeSent", panel._sent)
        panel.session.on("Network.requestServedFromCache", lambda e: panel._row(e).__setattr__("size", "(memory cache)"))
        panel.session.on("Network.responseReceived", panel._received)
        panel.session.on("Network.responseReceivedExtraInfo", lambda e: panel._row(e).__setattr__("status", e.get("statusCode")))
        panel.session.on("Network.loadingFinished", panel._finished)
        await panel.session.send("Network.enable")
        return panel

    async def disable_cache(self, disabled: bool = True) -> None:
        """What ticking DevTools' "Disable cache" box does (while DevTools is open)."""
        await self.session.send("Network.setCacheDisabled", {"cacheDisabled": disabled})

    def take(self) -> list[Row]:
        """The rows since the last call, in the order the requests started."""
        rows, self.rows = list(self.rows.values()), {}
        return rows

    def _row(self, event) -> Row:
        return self.rows.setdefault(event["requestId"], Row("?"))

    def _sent(self, event) -> None:
        url = event["request"]["url"]
        if url.startswith("http"):
            self._row(event).name = "/" + url.split("/", 3)[-1]

    def _received(self, event) -> None:
        row, response = self._row(event), event["response"]
        if row.status is None or response.get("fromDiskCache") or row.size:
            row.status = response["status"]  # from a cache, DevTools shows the stored status
        if response.get("fromDiskCache"):
            row.size = "(disk cache)"

    def _finished(self, event) -> None:
        row = self._row(event)
        if not row.size:
            row.size = f"{event['encodedDataLength']:,.0f} B transferred"
