import logging
import os
import subprocess
import sys

import redis
from flask import Flask

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
app.config["SESSION_TYPE"] = "redis"
app.config["UPLOAD_BUCKET"] = os.environ["UPLOAD_BUCKET"]
cache = redis.Redis.from_url(os.environ["REDIS_URL"])
API_TOKEN = os.environ["API_TOKEN"]
logging.getLogger().addHandler(logging.StreamHandler(sys.stdout))
DATABASE_URL = os.environ["DATABASE_URL"]


@app.get("/")
def index():
    subprocess.run(["convert", "logo.png", "logo.jpg"], check=True)
    return {"hits": cache.incr("hits")}


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")))
