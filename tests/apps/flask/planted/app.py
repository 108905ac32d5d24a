import logging
import os
import subprocess

import redis
from flask import Flask

app = Flask(__name__)
# expect: AP001
app.config["SECRET_KEY"] = "flask-dev-secret"
# expect: AP020
app.config["SESSION_TYPE"] = "filesystem"
# expect: AP021
app.config["UPLOAD_FOLDER"] = "/srv/app/uploads"
# expect: AP010
cache = redis.Redis(host="redis", port=6379)
# expect: AP002
API_TOKEN = os.environ.get("API_TOKEN", "dev-token-123")
# expect: AP070
logging.getLogger().addHandler(logging.FileHandler("/var/log/app.log"))

# expect: AP202
if os.environ.get("APP_ENV") == "production":
    DATABASE_URL = os.environ["DATABASE_URL"]
else:
    # expect: AP060
    DATABASE_URL = "sqlite:///dev.db"


@app.get("/")
def index():
    # expect: AP200
    subprocess.run(["convert", "logo.png", "logo.jpg"], check=True)
    return {"hits": cache.incr("hits")}


if __name__ == "__main__":
    # expect: AP030, AP031, AP201
    app.run(host="127.0.0.1", port=5000)
