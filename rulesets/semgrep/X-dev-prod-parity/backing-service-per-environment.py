import os

if os.environ.get("APP_ENV") == "production":
    # ok: backing-service-per-environment-python
    DATABASE_URL = os.environ["DATABASE_URL"]
else:
    # ruleid: backing-service-per-environment-python
    DATABASE_URL = "sqlite:///dev.db"

# ruleid: backing-service-per-environment-python
CACHE = "locmem" if ENV == "development" else os.environ["CACHE_URL"]

if DEBUG_TOOLBAR:
    # ok: backing-service-per-environment-python
    BACKEND = "sqlite"
