package demo;

import java.io.File;
import org.springframework.web.multipart.MultipartFile;

public class Uploads {
    void save(MultipartFile file) throws Exception {
        // ruleid: local-upload-path-java
        file.transferTo(new File("/srv/uploads/" + file.getOriginalFilename()));
        // ok: local-upload-path-java
        storage.put(bucket, file.getOriginalFilename(), file.getInputStream());
    }
}
