"""Slack's 3-second rule, measured: signed requests to `planbot serve`, answers caught by the fake Slack API.

Ack = the HTTP response to Slack's request (what Slack times); the answer arrives later in the thread.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
from tests.fake_slack import FakeSlack
from tests.servers import Server, knowledge_template
from tests.slack.conftest import CHANNEL, SECRET, TOKEN, SlackClient


def _ms(xs: list[float]) -> tuple[float, float, float]:
    p = np.percentile(np.array(xs) * 1000, [50, 95])
    return float(p[0]), float(p[1]), max(xs) * 1000


def run(rounds: int = 20) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="planbot-bench-slack-") as tmp, FakeSlack() as fake:
        data = knowledge_template(Path(tmp))
        server = Server(data, PLANBOT_SLACK_SIGNING_SECRET=SECRET, PLANBOT_SLACK_BOT_TOKEN=TOKEN,
                        PLANBOT_SLACK_API_URL=fake.api_url).start()  # fmt: skip
        client = SlackClient(server, fake)
        try:
            helps, acks, replies, drafts = [], [], [], []
            for i in range(rounds):
                t0 = time.perf_counter()
                assert client.command("help").status_code == 200
                helps.append(time.perf_counter() - t0)
                marker = f"户外用品{i}号，天猫+抖音，2027年GMV目标8000万，预算一千万"
                t0 = time.perf_counter()
                assert client.command(marker).status_code == 200
                acks.append(time.perf_counter() - t0)
                thread = fake.opened(marker, CHANNEL)
                fake.wait(lambda thread=thread: len(fake.in_thread(CHANNEL, thread)) >= 1)
                replies.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                client.reply(thread, "生成方案")
                acks.append(time.perf_counter() - t0)
                fake.wait(lambda thread=thread: len(fake.files_in(CHANNEL, thread)) == 2)
                drafts.append(time.perf_counter() - t0)
        finally:
            client.http.close()
            server.stop()
    rows = [("signed `/plan help` (answered in the response)", helps),
            ("ack of a brief command or a thread message", acks),
            ("brief command → first reply in the thread", replies),
            ("生成方案 in the thread → summary + DOCX + PDF uploaded", drafts)]  # fmt: skip
    lines = ["## Slack (signed requests, fake Slack Web API on 127.0.0.1)", "",
             f"{rounds} conversations, one at a time. Slack's limit for the response is 3,000 ms.", "",
             "| step | p50 (ms) | p95 (ms) | max (ms) |", "| --- | ---: | ---: | ---: |"]  # fmt: skip
    lines += [f"| {name} | {p50:.0f} | {p95:.0f} | {mx:.0f} |" for name, xs in rows for p50, p95, mx in [_ms(xs)]]
    return lines
