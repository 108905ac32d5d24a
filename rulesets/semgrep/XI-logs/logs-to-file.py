import logging
import sys

# ruleid: logs-to-file-python
handler = logging.FileHandler("/var/log/app.log")
# ruleid: logs-to-file-python
logging.basicConfig(filename="app.log", level=logging.INFO)
# ok: logs-to-file-python
handler = logging.StreamHandler(sys.stdout)
# ok: logs-to-file-python
logging.basicConfig(stream=sys.stdout, level=logging.INFO)
