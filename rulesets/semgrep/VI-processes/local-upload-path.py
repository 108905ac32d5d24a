import os

# ruleid: local-upload-path-python
app.config["UPLOAD_FOLDER"] = "/srv/app/uploads"
# ruleid: local-upload-path-python
MEDIA_ROOT = os.path.join(BASE_DIR, "media")
# ok: local-upload-path-python
app.config["UPLOAD_BUCKET"] = os.environ["UPLOAD_BUCKET"]
