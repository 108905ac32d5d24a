import os

# ruleid: secret-env-default-python
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-secret-key")
# ruleid: secret-env-default-python
password = os.getenv("DB_PASSWORD", "postgres")
# ok: secret-env-default-python
SECRET_KEY = os.environ["SECRET_KEY"]
# ok: secret-env-default-python
DEBUG = os.environ.get("DEBUG", "false")
# ok: secret-env-default-python
token = os.environ.get("API_TOKEN", "")
