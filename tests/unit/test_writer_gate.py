"""The SQLite writer gate: one writer at a time, taken at once when free, no convoy."""

import asyncio

import pytest

from storage.writer_gate import WriterGate


async def test_a_free_gate_is_taken_without_waiting_for_the_loop() -> None:
    gate = WriterGate()
    entered = False

    async def write() -> None:
        nonlocal entered
        async with gate:
            entered = True

    coro = write()
    with pytest.raises(StopIteration):  # ran to the end without suspending once
        coro.send(None)
    assert entered


async def test_one_writer_at_a_time_and_waiters_in_order() -> None:
    gate = WriterGate()
    inside: list[str] = []
    order: list[str] = []

    async def write(name: str) -> None:
        async with gate:
            inside.append(name)
            assert len(inside) == 1, "two writers inside the gate"
            order.append(name)
            await asyncio.sleep(0)  # a write that pauses keeps the others out
            inside.remove(name)

    await asyncio.gather(*(write(f"w{i}") for i in range(5)))
    assert order == ["w0", "w1", "w2", "w3", "w4"]
    assert not gate.held


async def test_a_writer_arriving_while_the_gate_is_free_goes_straight_in() -> None:
    gate = WriterGate()
    order: list[str] = []

    async def holder() -> None:
        async with gate:
            await asyncio.sleep(0)
        # Released: the waiter is woken but runs only on the loop's next turn. A writer that
        # finds the gate free now goes in at once instead of queueing behind it.
        async with gate:
            order.append("arrived")

    async def waiter() -> None:
        async with gate:
            order.append("waiter")

    await asyncio.gather(holder(), waiter())
    assert order == ["arrived", "waiter"]


async def test_a_cancelled_waiter_passes_its_turn_on() -> None:
    gate = WriterGate()
    release = asyncio.Event()
    done: list[str] = []
    waiting: list[asyncio.Task[None]] = []

    async def first() -> None:
        async with gate:
            await release.wait()
        waiting[0].cancel()  # woken by this release, cancelled before it ever ran

    async def queued(name: str) -> None:
        async with gate:
            done.append(name)

    holder = asyncio.create_task(first())
    await asyncio.sleep(0)
    waiting += [asyncio.create_task(queued("cancelled")), asyncio.create_task(queued("next"))]
    await asyncio.sleep(0)
    release.set()
    results = await asyncio.gather(holder, *waiting, return_exceptions=True)
    assert isinstance(results[1], asyncio.CancelledError)
    assert done == ["next"]
    assert not gate.held
