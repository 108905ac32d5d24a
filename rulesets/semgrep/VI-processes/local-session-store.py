# ruleid: local-session-store-python
app.config["SESSION_TYPE"] = "filesystem"
# ruleid: local-session-store-python
SESSION_ENGINE = "django.contrib.sessions.backends.file"
# ok: local-session-store-python
app.config["SESSION_TYPE"] = "redis"
# ok: local-session-store-python
SESSION_ENGINE = "django.contrib.sessions.backends.db"
