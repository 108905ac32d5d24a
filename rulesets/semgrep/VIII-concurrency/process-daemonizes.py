import os

import daemon

# ruleid: process-daemonizes-python
with daemon.DaemonContext():
    serve_forever()


def detach():
    if os.fork() > 0:
        os._exit(0)
    # ruleid: process-daemonizes-python
    os.setsid()


# ok: process-daemonizes-python
serve_forever()
