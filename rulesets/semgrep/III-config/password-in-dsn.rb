# ruleid: password-in-dsn-ruby
redis = Redis.new(url: "redis://:hunter2@redis:6379/0")
# ok: password-in-dsn-ruby
redis = Redis.new(url: ENV.fetch("REDIS_URL"))
