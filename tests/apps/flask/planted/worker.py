import os
import time

import daemon


def drain(queue):
    # expect: AP050
    while True:
        job = queue.get()
        job.run()
        time.sleep(1)


# expect: AP040
with daemon.DaemonContext():
    # twelvecheck ignore=AP050 -- the suppression is honoured in source files too
    while True:
        time.sleep(60)
