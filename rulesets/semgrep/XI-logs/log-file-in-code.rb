# ruleid: log-file-in-code-ruby
logger = Logger.new("log/production.log")
# ok: log-file-in-code-ruby
logger = Logger.new($stdout)
