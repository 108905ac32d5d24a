import signal
import time

stopping = False


def request_stop(signum, frame):
    global stopping
    stopping = True


def drain(queue):
    signal.signal(signal.SIGTERM, request_stop)
    while True:
        if stopping:
            break
        queue.get().run()
        time.sleep(1)
