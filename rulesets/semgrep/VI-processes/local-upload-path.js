// ruleid: local-upload-path-javascript
const upload = multer({ dest: "uploads/" });
// ruleid: local-upload-path-javascript
const storage = multer.diskStorage({ destination: "/data/uploads" });
// ok: local-upload-path-javascript
const upload2 = multer({ storage: multerS3({ s3, bucket: process.env.UPLOAD_BUCKET }) });
