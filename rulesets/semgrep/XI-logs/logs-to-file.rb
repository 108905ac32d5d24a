# ruleid: logs-to-file-ruby
logger = Logger.new("log/production.log")
# ok: logs-to-file-ruby
logger = Logger.new($stdout)
