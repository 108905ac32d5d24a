# ruleid: local-upload-path-ruby
File.open(Rails.root.join("public", "uploads", name), "wb") { |f| f.write(data) }
# ok: local-upload-path-ruby
File.open(Rails.root.join("tmp", "report.csv"), "wb") { |f| f.write(data) }
