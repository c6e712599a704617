"""Per-client budgets and the slots expensive operations run in."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from schema.admission import Lanes, Overloaded, RateLimiter
from settings import EXPENSIVE_WAIT


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_a_budget_is_spent_then_refused_until_its_window_ends() -> None:
    clock = Clock()
    rates = RateLimiter(100, 60.0, clock=clock)
    charged, status = rates.charge("a", 60)
    assert charged and (status.cost, status.limit, status.remaining) == (60, 100, 40)
    assert status.reset_at == 1_060.0
    charged, status = rates.charge("a", 50)  # would overdraw: refused, nothing taken
    assert not charged and status.remaining == 40
    assert rates.wait("a") is None  # points are left, just not enough for that one
    assert rates.charge("a", 40)[0]
    clock.now += 30
    assert rates.wait("a") == 30.0
    clock.now += 30
    assert rates.wait("a") is None
    charged, status = rates.charge("a", 100)
    assert charged and status.remaining == 0 and status.reset_at == 1_120.0


def test_clients_have_budgets_of_their_own() -> None:
    rates = RateLimiter(10, 60.0, clock=Clock())
    assert rates.charge("a", 10)[0]
    assert not rates.charge("a", 1)[0]
    assert rates.charge("b", 10)[0]


def test_the_table_of_budgets_is_bounded() -> None:
    rates = RateLimiter(10, 60.0, max_clients=3, clock=Clock())
    for client in "abcdef":
        rates.charge(client, 10)
    assert len(rates._spent) == 3
    assert rates.charge("a", 10)[0]  # forgotten, so it starts afresh


def test_a_limit_of_zero_charges_nothing() -> None:
    rates = RateLimiter(0, 60.0, clock=Clock())
    assert not rates.enabled
    for _ in range(100):
        charged, status = rates.charge("a", 10**9)
        assert charged and status.limit == 0
    assert rates.wait("a") is None


def test_charging_from_many_threads_never_overdraws() -> None:
    rates = RateLimiter(1_000, 60.0, clock=Clock())
    charged: list[bool] = []
    lock = threading.Lock()

    def spend() -> None:
        for _ in range(100):
            ok, _ = rates.charge("a", 1)
            with lock:
                charged.append(ok)

    threads = [threading.Thread(target=spend) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert charged.count(True) == 1_000


def test_a_full_lane_refuses_after_its_wait_while_the_others_run() -> None:
    lanes = Lanes(expensive_slots=1)

    async def scenario() -> tuple[bool, str, float]:
        holding = asyncio.create_task(
            lanes.run("expensive", lambda: time.sleep(EXPENSIVE_WAIT + 0.4))
        )
        await asyncio.sleep(0.05)  # the slow one has the only expensive slot
        started = time.monotonic()
        try:
            await lanes.run("expensive", lambda: "ran")
            refused = False
        except Overloaded as full:
            refused = full.lane == "expensive"
        waited = time.monotonic() - started
        other = await lanes.run("new", lambda: "the other lane ran")
        await holding
        return refused, other, waited

    refused, other, waited = asyncio.run(scenario())
    assert refused and other == "the other lane ran"
    assert waited >= EXPENSIVE_WAIT  # it waited for its lane, then gave up


def test_a_lane_of_no_threads_refuses_everything() -> None:
    lanes = Lanes(expensive_slots=0)
    with pytest.raises(Overloaded):
        asyncio.run(lanes.run("expensive", lambda: None))


def test_refusals_never_leak_a_lane_slot() -> None:
    """Many requests giving up on a full lane, some just as it frees up: afterwards the
    lane still holds exactly its threads."""
    lanes = Lanes(expensive_slots=2)
    lanes.sizes["expensive"] = (2, 0.01)

    async def scenario() -> int:
        async def attempt() -> bool:
            try:
                await lanes.run("expensive", lambda: time.sleep(0.005))
                return True
            except Overloaded:
                return False

        for _ in range(20):
            await asyncio.gather(*(attempt() for _ in range(10)))
        semaphore = lanes._loops[asyncio.get_running_loop()]["expensive"]
        return semaphore._value

    assert asyncio.run(scenario()) == 2
