"""The training BFM's ports (tb/train/bfm_port.py): an item goes to the handler of its
kind, a handler's result becomes the item's data, an unknown kind is refused by name."""

import asyncio
from types import SimpleNamespace

import pytest

from tb.train.bfm_port import BfmPort


def port_with_log():
    log = []

    async def read(item):
        log.append(("read", item.addr))
        return 0x1234

    async def write(item):
        log.append(("write", item.addr, item.data))

    return BfmPort("register", {"read": read, "write": write}), log


def test_items_go_to_the_handler_of_their_kind_and_reads_fill_data():
    port, log = port_with_log()
    read, write = SimpleNamespace(kind="read", addr=3, data=0), \
        SimpleNamespace(kind="write", addr=4, data=7)
    asyncio.run(port.apply(read))
    asyncio.run(port.apply(write))
    assert log == [("read", 3), ("write", 4, 7)]
    assert read.data == 0x1234 and write.data == 7  # a write's data stays as written


def test_an_unknown_kind_is_refused_naming_the_known_ones():
    port, log = port_with_log()
    refused = r"unknown register item kind 'poke' \(known: read, write\)"
    with pytest.raises(ValueError, match=refused):
        asyncio.run(port.apply(SimpleNamespace(kind="poke", addr=0, data=0)))
    assert log == []


def test_publish_reaches_every_observer_in_order():
    port, seen = BfmPort("event"), []
    port.observers += [lambda obs: seen.append(("a", obs)), lambda obs: seen.append(("b", obs))]
    port.publish("step_done")
    assert seen == [("a", "step_done"), ("b", "step_done")]
