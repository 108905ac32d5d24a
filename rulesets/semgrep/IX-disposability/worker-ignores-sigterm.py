import signal
import time


def work():
    # ruleid: worker-ignores-sigterm-python
    while True:
        job = queue.get()
        handle(job)
        time.sleep(1)


def graceful():
    signal.signal(signal.SIGTERM, request_stop)
    # ok: worker-ignores-sigterm-python
    while True:
        handle(queue.get())
        time.sleep(1)
