"""The shop API (an example with planted twelve-factor problems for twelvecheck to find)."""

import logging

from flask import Flask

app = Flask(__name__)
app.config["SECRET_KEY"] = "3f9c2a7b1d4e8f60a5b2c9d7e1f3a8b6"
logging.basicConfig(filename="/var/log/shop/api.log")


@app.get("/health")
def health():
    return {"ok": True}


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=8000)
