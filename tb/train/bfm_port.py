"""One agent's side of the training BFM, in the block benches' BFM protocol
(tb/common/bfm.py): the shared BlockDriver calls apply(item), the shared BlockMonitor
appends to observers. The engine has three agents on one BFM (register bus, sample
stream, engine events), so each gets a port instead of the whole BFM."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

Handler = Callable[[object], Awaitable[object]]


class BfmPort:
    """apply(item) runs the handler of item.kind; a handler's result, when not None, is
    the item's data (what a read returned). A port without handlers only publishes."""

    def __init__(self, name: str, handlers: dict[str, Handler] | None = None):
        self.name = name
        self.handlers = handlers or {}
        self.observers: list[Callable[[object], None]] = []

    async def apply(self, item) -> None:
        handler = self.handlers.get(item.kind)
        if handler is None:
            raise ValueError(f"unknown {self.name} item kind '{item.kind}' "
                             f"(known: {', '.join(self.handlers) or 'none'})")
        result = await handler(item)
        if result is not None:
            item.data = result

    def publish(self, obs) -> None:
        for observer in self.observers:
            observer(obs)
