# ruleid: hardcoded-service-host-ruby
redis = Redis.new(host: "localhost", port: 6379)
# ruleid: hardcoded-service-host-ruby
db = Sequel.connect("postgres://postgres/app")
# ok: hardcoded-service-host-ruby
redis = Redis.new(url: ENV.fetch("REDIS_URL"))
