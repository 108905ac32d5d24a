# ruleid: listen-on-loopback-python
app.run(host="127.0.0.1", port=port)
# ruleid: listen-on-loopback-python
uvicorn.run(app, host="localhost", port=port)
# ok: listen-on-loopback-python
app.run(host="0.0.0.0", port=port)
