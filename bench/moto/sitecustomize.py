"""Loaded at start by the bench's moto_server only (the bench puts this folder on PYTHONPATH).

moto 5.2.1's SQS costs O(queue length) per call, so a sweep that enqueues N buckets costs O(N^2) of
moto's CPU: at 1,000 messages a SendMessageBatch takes ~150 ms of CPU and the bench measures moto, not
the service (real SQS costs the service nothing per queued message). Two changes, same answers:

- SendMessage reads `queue.attributes` (for ContentBasedDeduplication), and ReceiveMessage does for every
  message it returns (retention check), which counts every message three times. The counts are
  *approximate* in SQS too; here each is reused for 100 ms, and counted with one reading of the clock.
- Every visibility check calls `unix_time_millis()`, which does datetime arithmetic; `time.time()` gives
  the same epoch milliseconds ~30 times faster, and the list of visible messages reads the clock once.
- DeleteMessage scans the whole queue twice for the receipt handle; received messages sit at its head,
  so one scan that stops at the message finds it at once.

Nothing else changes. Where the moto version is not the one this was written for, nothing is patched.
The outcome is written to the file named by S3IR_BENCH_MOTO_PATCH, so the results can say so.
"""

import os
import time

EXPECTED_MOTO = "5.2.1"
COUNT_TTL_SECONDS = 0.1


def _report(outcome):
    path = os.environ.get("S3IR_BENCH_MOTO_PATCH")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(outcome)


def _reused_for_a_while(name, compute):
    """A property whose value `compute(queue)` is reused for COUNT_TTL_SECONDS."""

    def getter(queue):
        cache = queue.__dict__.setdefault("_s3ir_bench_counts", {})
        now = time.monotonic()
        hit = cache.get(name)
        if hit is not None and now - hit[0] < COUNT_TTL_SECONDS:
            return hit[1]
        value = compute(queue)
        cache[name] = (now, value)
        return value

    return property(getter)


def _patch():
    import moto
    from moto.core import utils as core_utils
    from moto.sqs import models

    if moto.__version__ != EXPECTED_MOTO:
        return f"skipped: moto {moto.__version__}, written for {EXPECTED_MOTO}"
    original_seconds = core_utils.unix_time

    def unix_time(dt=None):
        return time.time() if dt is None else original_seconds(dt)

    def unix_time_millis(dt=None):
        return unix_time(dt) * 1000.0

    def delete_message(queue, receipt_handle):
        if receipt_handle in queue.deleted_messages:
            # Already deleted: moto answers as SQS does, with success.
            return
        for index, message in enumerate(queue._messages):
            if message.had_receipt_handle(receipt_handle):
                # Receipt handles are unique: this is the one message moto's own scan would remove.
                queue.pending_messages.discard(message)
                queue.deleted_messages.update(message.all_receipt_handles)
                # A new list, as moto's own delete makes: a receive iterating the old one is not disturbed.
                queue._messages = queue._messages[:index] + queue._messages[index + 1 :]
                return
        raise models.ReceiptHandleIsInvalid()

    def messages(queue):
        # Message.visible and Message.delayed, with one reading of the clock for the whole list.
        now = unix_time_millis()
        return [m for m in queue._messages if now > m.visible_at and not now < m.delayed_until]

    def delayed_count(queue):
        now = unix_time_millis()
        return sum(1 for m in queue._messages if now < m.delayed_until)

    def not_visible_count(queue):
        now = unix_time_millis()
        return sum(1 for m in queue._messages if not now > m.visible_at)

    models.unix_time = unix_time
    models.unix_time_millis = unix_time_millis
    models.Queue.delete_message = delete_message
    models.Queue.messages = property(messages)
    counts = {
        "approximate_number_of_messages": lambda queue: len(messages(queue)),
        "approximate_number_of_messages_delayed": delayed_count,
        "approximate_number_of_messages_not_visible": not_visible_count,
    }
    for name, count in counts.items():
        setattr(models.Queue, name, _reused_for_a_while(name, count))
    return f"applied to moto {moto.__version__}"


try:
    _report(_patch())
except Exception as error:  # never stop moto from starting
    _report(f"skipped: {type(error).__name__}: {error}")
