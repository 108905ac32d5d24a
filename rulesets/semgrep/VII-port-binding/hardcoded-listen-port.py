import os

# ruleid: hardcoded-listen-port-python
app.run(host="0.0.0.0", port=5000)
# ruleid: hardcoded-listen-port-python
uvicorn.run("main:app", host="0.0.0.0", port=8000)
# ok: hardcoded-listen-port-python
app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")))
