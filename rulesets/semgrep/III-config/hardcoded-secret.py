import os

import jwt
from flask import Flask

app = Flask(__name__)
# ruleid: hardcoded-secret-python
app.config["SECRET_KEY"] = "s3cr3t-dev-key"
# ruleid: hardcoded-secret-python
SECRET_KEY = "django-insecure-abc123"
# ruleid: hardcoded-secret-python
app.secret_key = "flask-secret"
# ruleid: hardcoded-secret-python
app.config.update(SECRET_KEY="another-one")
# ruleid: hardcoded-secret-python
token = jwt.encode({"sub": 1}, "jwt-secret", algorithm="HS256")
# ruleid: hardcoded-secret-python
DB_PASSWORD = "hunter22"

# ok: hardcoded-secret-python
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
# ok: hardcoded-secret-python
PASSWORD_FIELD = "password"
# ok: hardcoded-secret-python
token = jwt.encode({"sub": 1}, os.environ["JWT_SECRET"], algorithm="HS256")
# ok: hardcoded-secret-python
DB_PASSWORD = ""
