import logging
import sys

# ruleid: log-file-in-code-python
handler = logging.FileHandler("/var/log/app.log")
# ruleid: log-file-in-code-python
logging.basicConfig(filename="app.log", level=logging.INFO)
# ok: log-file-in-code-python
handler = logging.StreamHandler(sys.stdout)
# ok: log-file-in-code-python
logging.basicConfig(stream=sys.stdout, level=logging.INFO)
